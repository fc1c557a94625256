/**
 * Where saliency's network comes from: the page's lab (shared/lab.ts), asked for its weights —
 * the net it holds, or the training lab's saved run — or, when there is none, one epoch of the
 * tutorial net trained in that lab on the reader's click. Never a second worker, never IndexedDB
 * or an .onnx export read here.
 */
import { chooseBackend } from '../../runtime/backends';
import { probeBackends } from '../../runtime/client';
import { readPreferredBackend } from '../shared/backend-pref';
import { getSharedLab, requestWeights } from '../shared/lab';
import type { Lab } from '../shared/lab';
import { IMPORT_CONFIG } from '../shared/load-net';
import { netFromWeights } from './state';
import type { NetPhase } from './state';

type LabEvent = Parameters<Parameters<Lab['on']>[0]>[0];
type LabConfig = Extract<Parameters<Lab['send']>[0], { kind: 'start' }>['config'];

let nets = 0;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The lab's network as a phase (ready, or none and why). */
export async function findNetwork(): Promise<NetPhase> {
  try {
    const lab = await getSharedLab();
    return netFromWeights(await requestWeights(lab), ++nets);
  } catch (error) {
    return {
      kind: 'none',
      why: 'unreadable',
      text: `The training lab could not be asked for its network (${message(error)}). You can train a quick one here.`,
    };
  }
}

export const QUICK_CONFIG: Omit<LabConfig, 'backend'> = {
  ...IMPORT_CONFIG,
  lrDecay: 1,
  epochs: 1,
  augmentation: { shift: 0, rotate: 0, scale: 0 },
};

/** Trains the quick net in the page's lab, reporting each phase (training…, then ready or none). */
export async function trainQuick(report: (net: NetPhase) => void): Promise<void> {
  const failed = (text: string): NetPhase => ({
    kind: 'none',
    why: 'failed',
    text: `Training failed: ${text} You can try again.`,
  });
  let lab: Lab;
  try {
    lab = await getSharedLab();
  } catch (error) {
    report(failed(`${message(error)}.`));
    return;
  }
  report({ kind: 'training', fraction: 0, text: 'Starting the training lab…' });
  const finish = (net: NetPhase) => {
    if (typeof off === 'function') (off as () => void)();
    report(net);
  };
  const off: unknown = lab.on((e: LabEvent) => {
    switch (e.kind) {
      case 'progress': {
        const p = e.progress;
        const done = p.epoch * p.stepsPerEpoch + p.step;
        const text = `Training: step ${done} of ${p.totalSteps}, ${Math.round(e.imagesPerSecond)} images/s…`;
        report({ kind: 'training', fraction: done / Math.max(1, p.totalSteps), text });
        break;
      }
      case 'nan':
        finish(failed(e.message)); // the lab's own words for a NaN stop
        break;
      case 'status':
        if (e.state === 'done')
          requestWeights(lab).then(
            (reply) => finish(netFromWeights(reply, ++nets, true)),
            (error: unknown) => finish(failed(`${message(error)}.`)),
          );
        else if (e.state === 'error')
          finish(failed(`the training lab stopped: ${e.message ?? ''}.`));
        break;
      case 'error':
        finish(failed(`${e.message}.`));
        break;
    }
  });
  const backend = await probeBackends()
    .then((statuses) => chooseBackend(statuses, readPreferredBackend()).backend)
    .catch(() => 'reference' as const);
  lab.send({ kind: 'start', config: { ...QUICK_CONFIG, backend } });
}
