/**
 * "Load a network back" (issue 14): an .onnx that ConvBook exported goes to the page's lab as
 * `import`, which holds it paused with its weights (to be explained, or trained on with Resume),
 * or answers with the importer's message. One wiring for the inputs of the training lab, the
 * drawing pad and saliency (markup: LoadNet.astro).
 */
import { mnistTutorialNet } from '../../cnn/index.ts';
import { chooseBackend } from '../../runtime/backends';
import { probeBackends } from '../../runtime/client';
import type { LabConfig, LabEvent } from '../../runtime/lab/protocol';
import { readPreferredBackend } from './backend-pref';
import { requestId } from './lab';
import type { Lab } from './lab';

/** The most an .onnx of these labs' networks could weigh (the large net is well under 1 MB). */
export const MAX_ONNX_BYTES = 32 * 1024 * 1024;

/** What an imported digit classifier trains with if the reader resumes it (lesson 9's defaults). */
export const IMPORT_CONFIG: Omit<LabConfig, 'backend'> = {
  preset: 'tutorial',
  network: mnistTutorialNet,
  optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
  lrDecay: 0.9,
  batchSize: 64,
  epochs: 10,
  augmentation: { shift: 2, rotate: 0, scale: 0 },
  seed: 1,
};

/** What is wrong with the file before it is read, or null. */
export function onnxFileProblem(name: string, bytes: number): string | null {
  if (!name.toLowerCase().endsWith('.onnx'))
    return `“${name}” is not an .onnx file: choose a network exported from ConvBook.`;
  if (bytes === 0) return `“${name}” is empty (0 bytes).`;
  if (bytes > MAX_ONNX_BYTES)
    return `“${name}” is ${(bytes / 1048576).toFixed(0)} MB, far larger than any network of this course.`;
  return null;
}

/**
 * Wires `root`'s `input[data-load-net]`: the chosen file is imported into `lab`; the sentence in
 * `[data-load-net-msg]` (and the root's `data-loaded-net`, true or false) says how it went, and
 * `loaded` runs once the lab holds it.
 */
export function wireLoadNet(root: HTMLElement, lab: Lab, loaded?: () => void): void {
  const input = root.querySelector<HTMLInputElement>('input[data-load-net]');
  const out = root.querySelector<HTMLElement>('[data-load-net-msg]');
  if (!input || !out) return;
  const say = (text: string, ok: boolean) => {
    out.textContent = text;
    root.dataset.loadedNet = String(ok);
  };
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const problem = onnxFileProblem(file.name, file.size);
    if (problem) return say(problem, false);
    say(`Reading “${file.name}”…`, false);
    void Promise.all([
      file.arrayBuffer(),
      probeBackends()
        .then((s) => chooseBackend(s, readPreferredBackend()).backend)
        .catch(() => 'reference' as const),
    ]).then(([buffer, backend]) => {
      const send = (replace: boolean) => {
        const id = requestId();
        const off = lab.on((e: LabEvent) => {
          if (!('id' in e) || e.id !== id) return;
          if (e.kind !== 'imported' && e.kind !== 'import-failed' && e.kind !== 'import-confirm')
            return;
          if (typeof off === 'function') (off as () => void)();
          if (e.kind === 'import-failed')
            return say(`“${file.name}” could not be loaded: ${e.message}.`, false);
          if (e.kind === 'import-confirm') return ask(file.name, e, () => send(true));
          say(
            `Loaded “${file.name}” (${e.network.layers.length} layers): it is the lab’s network now, paused — Resume trains it further.`,
            true,
          );
          loaded?.();
        });
        lab.send({
          kind: 'import',
          id,
          bytes: new Uint8Array(buffer),
          config: { ...IMPORT_CONFIG, backend },
          replace,
        });
      };
      send(false);
    });
  });

  /** The lab holds a run the reader trained: say which, and replace it only if they say so. */
  const ask = (
    name: string,
    run: Extract<LabEvent, { kind: 'import-confirm' }>,
    go: () => void,
  ) => {
    const acc =
      run.testAccuracy === undefined
        ? ''
        : `, ${(run.testAccuracy * 100).toFixed(1)} % on the test digits`;
    const text = document.createElement('span');
    text.textContent = `Loading “${name}” would replace the run you trained in the lab (epoch ${run.epoch}${run.step ? ` + ${run.step} steps` : ''}${acc}), which is saved in this browser. `;
    const button = (label: string, act: () => void) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', act);
      return b;
    };
    out.replaceChildren(
      text,
      button(`Replace it with “${name}”`, () => {
        say(`Reading “${name}”…`, false);
        go();
      }),
      ' ',
      button('Keep my run', () => say(`Kept your run; “${name}” was not loaded.`, false)),
    );
    root.dataset.loadedNet = 'asking';
    out.querySelector('button')?.focus();
  };
}
