/**
 * Where the figure's network comes from: the home page's committed asset (home-net.json, written
 * by scripts/train-home-net.ts), or the page's training lab (shared/lab.ts), asked for its
 * weights when the figure wakes and again, at most once a second, while it trains.
 */
import { checkParams } from '../../cnn/index.ts';
import type { Params } from '../../cnn/index.ts';
import { homeParams } from '../shared/home-net';
import type { HomeAsset } from '../shared/home-net';
import { getSharedLab, requestWeights } from '../shared/lab';
import type { Lab, WeightsReply } from '../shared/lab';
import { readyNet } from './state';
import type { NetPhase } from './state';

let nets = 0;

export type { HomeAsset };

export function homeNet(asset: HomeAsset): NetPhase {
  const params = homeParams(asset);
  const pct = (asset.test.accuracy * 100).toFixed(2);
  const about = `a network trained for this page: ${pct}% of ${asset.test.count.toLocaleString('en')} test digits read right`;
  return readyNet({ id: ++nets, spec: asset.spec, params, about });
}

const TRAIN_FIRST =
  'Train the network in the training lab above: this figure shows it, layer by layer, while it trains.';

/** The lab's `weights` answer as a phase (never throws). */
export function labNet(reply: WeightsReply): NetPhase {
  const w = reply.weights;
  if (!w)
    return {
      kind: 'none',
      text: reply.problem
        ? `Your saved training-lab run could not be read (${reply.problem}). ${TRAIN_FIRST}`
        : TRAIN_FIRST,
    };
  const params: Params = {};
  for (const [name, t] of Object.entries(w.params)) params[name] = t;
  try {
    checkParams(w.network, params, 'the lab’s network');
  } catch (error) {
    return { kind: 'none', text: `${error instanceof Error ? error.message : String(error)}.` };
  }
  const bad = Object.entries(params).find(([, t]) => t.data.some((v) => !Number.isFinite(v)));
  if (bad)
    return {
      kind: 'none',
      text: `Your run diverged: its weights (${bad[0]} first) are not numbers, so there is nothing to show. Train it again at a lower learning rate.`,
    };
  const { epoch, step } = w.progress;
  const about = w.imported
    ? `your network (${w.network.name}), loaded back from its .onnx`
    : `your network (${w.network.name}) after epoch ${epoch}, step ${step}`;
  const classes = w.classes ? { classes: w.classes } : {};
  return readyNet({ id: ++nets, spec: w.network, params, about, ...classes });
}

/** Follows the page's lab: reports its network now, and again while it trains (≤ 1 per second). */
export async function followLab(report: (net: NetPhase) => void): Promise<void> {
  let lab: Lab;
  try {
    lab = await getSharedLab();
  } catch (error) {
    report({ kind: 'none', text: `The training lab could not start (${String(error)}).` });
    return;
  }
  let asking = false;
  let again = false;
  let last = 0;
  const ask = async (): Promise<void> => {
    if (asking) {
      again = true;
      return;
    }
    asking = true;
    last = performance.now();
    try {
      report(labNet(await requestWeights(lab)));
    } catch (error) {
      report({ kind: 'none', text: `The training lab did not answer (${String(error)}).` });
    } finally {
      asking = false;
      if (again) {
        again = false;
        void ask();
      }
    }
  };
  lab.on((e) => {
    if (e.kind === 'progress' && performance.now() - last > 1000) void ask();
    else if (e.kind === 'restored') void ask();
    else if (e.kind === 'status' && e.state !== 'training') void ask();
  });
  await ask();
}
