/**
 * Lesson 15's own-class figure on the widget kernel. The reader's examples live in the page (and
 * in IndexedDB, data/own-store.ts); the page's lab (its own slot) trains on them; the trained net
 * comes back with `weights`, and one batch — the held-out examples, the drawing, the drawing under
 * each occluding patch — is computed by the reference engine in a worker and checked on ORT with
 * the same gradient graph (logits and the gradient to the drawing): prediction, saliency,
 * occlusion and the confusion matrix all come from that batch.
 */
import { exampleCount, toArchive } from '../../data/own.ts';
import { indexedDbKv, memoryKv, ownStore } from '../../data/own-store.ts';
import type { OwnStore } from '../../data/own-store.ts';
import { chooseBackend } from '../../runtime/backends';
import { float32, probeBackends } from '../../runtime/client';
import { paramFeeds } from '../shared/net-feeds';
import type { LabEvent } from '../../runtime/lab/protocol';
import { readPreferredBackend } from '../shared/backend-pref';
import { stateOnly } from '../shared/define';
import type { Panel, WidgetSpec } from '../shared/define';
import { gradientModel, nonFiniteParam } from '../shared/explain';
import { fieldParams, integer, readFields } from '../shared/fields';
import { padToInput, PAD, wireInkPad } from '../shared/ink-pad';
import { getSharedLab, requestId, requestWeights } from '../shared/lab';
import type { WeightsReply } from '../shared/lab';
import { readParams } from '../shared/url-state';
import { download, picturesToExamples, readLoaded } from './files';
import { confusionPanel, filtersPanel, mapsPanel, predictionPanel } from './panels/explain';
import { classesPanel, statusPanel } from './panels/inputs';
import { explainBatch } from './reference';
import type { OwnResult } from './reference';
import { initialOwn, OWN_SLOT, ownConfig, reduce, trainProblem } from './state';
import type { OwnAction, OwnNet, OwnState } from './state';

type R = OwnResult | undefined;
const FIELDS = { epochs: integer('epochs', 'epochs', { min: 1, max: 200, initial: 25 }) };

let nets = 0;
let drawings = 0;
/** The page's store of examples (IndexedDB, or the visit's memory where there is none). */
let store: OwnStore = ownStore(memoryKv());

/** The lab's `weights` answer as the net to explain, or why there is none. */
function netOf(reply: WeightsReply): { net?: OwnNet; why?: string } {
  const w = reply.weights;
  if (!w)
    return reply.problem ? { why: `Your saved run could not be read (${reply.problem}).` } : {};
  if (!w.classes || !w.heldOut) return {};
  if (w.progress.epoch === 0 && w.progress.step === 0 && !w.imported) return {};
  const params: OwnNet['params'] = {};
  for (const [k, t] of Object.entries(w.params)) params[k] = t;
  const bad = nonFiniteParam(params);
  if (bad)
    return {
      why: `Your run diverged: its weights (${bad} first) are not numbers. Train again.`,
    };
  const about = w.imported
    ? 'your network, loaded back from its .onnx'
    : `your network after epoch ${w.progress.epoch}`;
  return {
    net: { id: ++nets, spec: w.network, params, classes: w.classes, heldOut: w.heldOut, about },
  };
}

/** Writes the examples to the store whenever they change; a refusal becomes the message. */
function keepPanel(dispatch: (a: OwnAction) => void): Panel<OwnState, R> {
  return (s, _r, prev) => {
    if (!prev || prev.dataset === s.dataset) return;
    const write = s.dataset.classes.length ? store.save(s.dataset) : store.clear();
    write.catch((error: unknown) =>
      dispatch({ kind: 'message', text: (error as Error).message, tone: 'error' }),
    );
  };
}

export const ownDataWidget: WidgetSpec<OwnState, OwnAction, R> = {
  name: 'own-data',
  ns: 'own',
  failure: { where: '[data-run-status]', prefix: 'This figure failed: ' },
  async init() {
    const { values, notes } = readFields(FIELDS, readParams('own'));
    let state = initialOwn(values.epochs);
    try {
      store = ownStore(await indexedDbKv(self.indexedDB));
    } catch (error) {
      notes.push(`${(error as Error).message} Your examples are kept for this visit only.`);
    }
    try {
      const saved = await store.load();
      if (saved) {
        const n = exampleCount(saved);
        const text = `Your ${saved.classes.length} classes and ${n} examples are back from this browser’s storage.`;
        state = reduce(state, { kind: 'loaded', dataset: saved, text });
      }
    } catch (error) {
      state = reduce(state, { kind: 'message', text: (error as Error).message, tone: 'error' });
    }
    return { state, notes };
  },
  reduce,
  compute: {
    key: (s) => (s.net ? `${s.net.id}:${s.drawing?.id ?? '-'}` : 'none'),
    run: (s) => (s.net ? explainBatch(s.net, s.drawing?.pixels) : undefined),
    check(_s, r) {
      if (!r) return undefined;
      const { spec, params, classes } = r.net;
      const n = r.layout.total;
      const feeds = {
        images: float32([n, ...spec.inputShape], r.images),
        dLogits: float32([n, classes.length], r.seed),
        ...paramFeeds(params),
      };
      return {
        key: `own-data:${spec.name}:${JSON.stringify(spec.layers)}:${n}`,
        model: () => gradientModel(spec, n),
        feeds,
        expected: { logits: r.logits, dinput: r.dinput },
      };
    },
  },
  status: (s) => (s.dataset.classes.length ? 'ready' : 'empty'),
  params: (s) => fieldParams(FIELDS, { epochs: s.epochs }),
  announce(prev, s, r) {
    if (s.message && s.message !== prev?.message) return s.message.text;
    if (r && r.cls >= 0 && prev?.drawing !== s.drawing)
      return `The network reads your drawing as “${r.net.classes[r.cls]}”.`;
    return undefined;
  },
  async view(ctx) {
    const { root, $, dispatch, state } = ctx;
    const lab = await getSharedLab(OWN_SLOT);
    let asked = 0;
    const ask = () => {
      asked = performance.now();
      requestWeights(lab).then(
        (reply) => {
          const { net, why } = netOf(reply);
          if (why) dispatch({ kind: 'message', text: why, tone: 'error' });
          if (net || why) dispatch({ kind: 'net', net });
        },
        () => {},
      );
    };
    const exports = new Set<number>();
    lab.on((e: LabEvent) => {
      dispatch({ kind: 'lab', event: e });
      if (e.kind === 'exported' && exports.delete(e.id))
        download(e.bytes, 'convbook-own-network.onnx', 'application/octet-stream');
      const settled = e.kind === 'status' && (e.state === 'done' || e.state === 'paused');
      if (settled || e.kind === 'restored' || e.kind === 'imported') ask();
      else if (e.kind === 'eval' && performance.now() - asked > 1000) ask();
      else if (e.kind === 'status' && e.state === 'idle') dispatch({ kind: 'net', net: undefined });
    });
    lab.send({ kind: 'restore' });
    const backend = () =>
      probeBackends()
        .then((statuses) => chooseBackend(statuses, readPreferredBackend()).backend)
        .catch(() => 'reference' as const);

    // The pad: a finished stroke is the drawing explained, and the example Add would keep.
    const pad = wireInkPad($<HTMLCanvasElement>('canvas[data-pad]'), (p) => {
      const r = padToInput(p.ink);
      dispatch({ kind: 'drawing', id: ++drawings, pixels: r.empty ? undefined : r.image });
    });
    const clearPad = () => {
      pad.set(new Float32Array(PAD * PAD));
      dispatch({ kind: 'drawing', id: ++drawings, pixels: undefined });
    };
    $('[data-action="clear"]').addEventListener('click', clearPad);
    $('[data-action="add"]').addEventListener('click', () => {
      const d = state().drawing;
      if (!d) return;
      dispatch({ kind: 'add-example', pixels: d.pixels });
      if (state().message?.tone === 'info') clearPad();
    });
    const form = $<HTMLFormElement>('form[data-add-class]');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const input = form.querySelector('input')!;
      dispatch({ kind: 'add-class', name: input.value });
      if (state().message?.tone === 'info') input.value = '';
    });
    const upload = $<HTMLInputElement>('input[data-upload]');
    upload.addEventListener('change', () => {
      const files = [...(upload.files ?? [])];
      upload.value = '';
      void picturesToExamples(files).then(({ examples, problems }) => {
        for (const pixels of examples) dispatch({ kind: 'add-example', pixels });
        if (problems.length)
          dispatch({ kind: 'message', text: `Not added: ${problems.join(' ')}`, tone: 'error' });
      });
    });

    $('[data-action="train"]').addEventListener('click', () => {
      const problem = trainProblem(state());
      if (problem) return dispatch({ kind: 'message', text: problem, tone: 'error' });
      void backend().then((b) =>
        lab.send({ kind: 'start', config: ownConfig(state().dataset, b, state().epochs) }),
      );
    });
    $('[data-action="pause"]').addEventListener('click', () =>
      lab.send({ kind: state().lab === 'paused' ? 'resume' : 'pause' }),
    );
    $('[data-action="export-net"]').addEventListener('click', () => {
      if (!state().net)
        return dispatch({ kind: 'message', text: 'Train a network first.', tone: 'error' });
      const id = requestId();
      exports.add(id);
      lab.send({ kind: 'export', id });
    });
    $('[data-action="export-examples"]').addEventListener('click', () =>
      download(toArchive(state().dataset), 'convbook-own-examples.json', 'application/json'),
    );
    const load = $<HTMLInputElement>('input[data-load]');
    load.addEventListener('change', () => {
      const files = [...(load.files ?? [])].sort(
        (a, b) => Number(a.name.endsWith('.onnx')) - Number(b.name.endsWith('.onnx')),
      );
      load.value = '';
      void readLoaded(state().dataset, files).then(async ({ dataset, onnx, notes }) => {
        dispatch({ kind: 'loaded', dataset, text: notes.join(' ') || undefined });
        if (!onnx) return;
        const problem = trainProblem(state());
        if (problem)
          return dispatch({
            kind: 'message',
            text: `A network comes back with its examples (its classes, each with enough): load its .json too. ${problem}`,
            tone: 'error',
          });
        // Loaded with its examples on purpose: the network it replaces was trained on examples
        // the page keeps (they are merged above), so Train makes it again in seconds.
        lab.send({
          kind: 'import',
          id: requestId(),
          bytes: onnx,
          config: ownConfig(state().dataset, await backend(), state().epochs),
          replace: true,
        });
      });
    });
    const del = $<HTMLButtonElement>('[data-action="delete"]');
    let armed = 0;
    del.addEventListener('click', () => {
      if (performance.now() - armed > 5000) {
        armed = performance.now();
        del.textContent = 'Click again to delete them for good';
        return;
      }
      armed = 0;
      del.textContent = 'Delete my examples and network…';
      void store.clear().catch(() => {});
      lab.send({ kind: 'clear' });
      clearPad();
      dispatch({ kind: 'net', net: undefined });
      dispatch({
        kind: 'loaded',
        dataset: { classes: [] },
        text: 'Deleted your examples and network from this browser.',
      });
    });
    root.dataset.ready = 'true';
    return [
      stateOnly<OwnState, R>(classesPanel(ctx)),
      stateOnly<OwnState, R>(statusPanel(ctx)),
      stateOnly<OwnState, R>(keepPanel(dispatch)),
      stateOnly<OwnState, R>(filtersPanel(ctx)),
      predictionPanel(ctx),
      mapsPanel(ctx),
      confusionPanel(ctx),
    ];
  },
};
