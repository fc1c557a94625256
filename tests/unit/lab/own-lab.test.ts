/**
 * The lab's 'own' task in Node (lesson 15): the reader's examples come with the config, a seeded
 * hold-out of each class is scored (a K × K confusion), batches are augmented copies; the run is
 * saved with its examples and restored; an exported .onnx comes back through `import` and predicts
 * the same, and what cannot be this lab's network gets the importer's message.
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../src/cnn/index';
import { addClass, addExample, EMPTY_DATASET, pack } from '../../../src/data/own';
import type { OwnDataset } from '../../../src/data/own';
import { memoryStore } from '../../../src/runtime/lab/checkpoint';
import { Lab } from '../../../src/runtime/lab/lab';
import { checkOwn, OWN_EPOCH_IMAGES, OwnData, ownSplits } from '../../../src/runtime/lab/lab-own';
import type { LabConfig } from '../../../src/runtime/lab/protocol';
import { parseSavedRun } from '../../../src/runtime/lab/saved-run';
import { host, of } from './fake-host';
import { smallConfig } from './fixtures';

const net3: NetworkSpec = {
  name: 'own3',
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 4, kernelShape: [3, 3] },
    { type: 'relu' },
    { type: 'maxPool2d', kernelShape: [2, 2] },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
};

/** Three shapes: a horizontal bar, a vertical bar, a diagonal; example n moves it by n px. */
function shapes(per: number): OwnDataset {
  let d = EMPTY_DATASET;
  ['across', 'down', 'slash'].forEach((name, k) => {
    const r = addClass(d, name);
    if (!r.ok) throw new Error(r.error);
    d = r.dataset;
    for (let n = 0; n < per; n++) {
      const px = new Float32Array(784);
      const o = 8 + (n % 12);
      for (let t = 4; t < 24; t++) {
        const [y, x] = k === 0 ? [o, t] : k === 1 ? [t, o] : [t, 27 - t - (n % 5)];
        px[y * 28 + x] = 1;
        px[y * 28 + Math.min(27, x + 1)] = 1;
      }
      const e = addExample(d, k, px);
      if (!e.ok) throw new Error(e.error);
      d = e.dataset;
    }
  });
  return d;
}

const ownConfig = (over: Partial<LabConfig> = {}): LabConfig =>
  smallConfig({
    preset: 'own',
    task: 'own',
    network: net3,
    own: pack(shapes(12)),
    trainSubset: undefined,
    batchSize: 16,
    epochs: 3,
    augmentation: { shift: 2, rotate: 10, scale: 0.1 },
    ...over,
  });

describe('OwnData', () => {
  it('an epoch is OWN_EPOCH_IMAGES augmented copies of the training examples, fixed per (epoch, step)', () => {
    const config = ownConfig();
    const { train, test } = ownSplits(config);
    expect([train.count, test.count]).toEqual([30, 6]);
    const data = new OwnData(train, config);
    expect(data.stepsPerEpoch).toBe(Math.floor((30 * Math.ceil(OWN_EPOCH_IMAGES / 30)) / 16));
    const a = data.batch(0, 1);
    expect(a.oneHot.length).toBe(16 * 3);
    expect(data.batch(0, 1).images).toEqual(a.images);
    for (let k = 0; k < 16; k++) expect(a.oneHot[k * 3 + a.labels[k]!]).toBe(1);
    // augmented: not the stored pixels
    const plain = new OwnData(train, {
      ...config,
      augmentation: { shift: 0, rotate: 0, scale: 0 },
    });
    expect(plain.batch(0, 1).labels).toEqual(a.labels);
    expect(plain.batch(0, 1).images).not.toEqual(a.images);
  });
  it('checkOwn refuses too few examples, a label past the classes, a network of another size', () => {
    const config = ownConfig();
    const own = config.own!;
    const short = { ...own, images: own.images.slice(784 * 3), labels: own.labels.slice(3) };
    expect(() => checkOwn({ ...config, own: short })).toThrow(
      /“across” has 9 examples; each class needs at least 10/,
    );
    const cut = { ...own, images: own.images.slice(0, 784 * 29), labels: own.labels.slice(0, 29) };
    expect(() => checkOwn({ ...config, own: cut })).toThrow(/“slash” has 5 examples/);
    const bad = { ...own, labels: own.labels.map((l) => (l === 2 ? 7 : l)) };
    expect(() => checkOwn({ ...config, own: bad })).toThrow(/label 7 is not one of the 3 classes/);
    expect(() => checkOwn({ ...config, network: smallConfig().network })).toThrow(
      /the network scores 10 classes, the examples have 3/,
    );
    expect(() =>
      parseSavedRun({
        config: { ...config, own: cut },
        progress: { epoch: 0, step: 0, stepsPerEpoch: 1, totalSteps: 1, seconds: 0, history: [] },
      }),
    ).toThrow(/saved run: task own: “slash” has 5 examples/);
  });
});

describe('Lab, task own', () => {
  it('trains, scores the held-out examples (3 × 3), saves the examples with the run and restores it', async () => {
    const store = memoryStore();
    const a = host({ store });
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'start', config: ownConfig() });
    await a.until((e) => e.kind === 'status' && e.state === 'done', 60_000);
    expect(of(a.events, 'data-progress')).toEqual([]); // no MNIST
    const last = of(a.events, 'eval').at(-1)!;
    expect(last.confusion).toHaveLength(9);
    expect(last.confusion.reduce((x, y) => x + y, 0)).toBe(6);
    expect(last.testAccuracy).toBeGreaterThanOrEqual(5 / 6);
    const snap = of(a.events, 'snapshot').at(-1)!;
    expect(snap.filters.dims).toEqual([4, 1, 3, 3]);
    await lab.handle({ kind: 'weights', id: 1 });
    const w = of(a.events, 'weights')[0]!.weights!;
    expect(w.classes).toEqual(['across', 'down', 'slash']);

    const b = host({ store });
    const lab2 = new Lab(b.h);
    await lab2.handle({ kind: 'restore' });
    const restored = of(b.events, 'restored')[0]!;
    expect(restored.config.own!.classes).toEqual(['across', 'down', 'slash']);
    expect(restored.config.own!.images).toEqual(ownConfig().own!.images);
    expect(of(b.events, 'status').at(-1)!.state).toBe('done');
  });

  it('an exported .onnx comes back through import and predicts the same; a wrong one is refused with the importer’s words', async () => {
    const a = host();
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'start', config: ownConfig({ epochs: 1 }) });
    await a.until((e) => e.kind === 'status' && e.state === 'done', 60_000);
    await lab.handle({ kind: 'export', id: 1 });
    const bytes = of(a.events, 'exported')[0]!.bytes;
    const image = new Float32Array(784).map((_, i) => ((i * 7) % 13) / 13);
    await lab.handle({ kind: 'predict', id: 2, pixels: image });
    const before = of(a.events, 'prediction')[0]!.probabilities;

    const store = memoryStore();
    const b = host({ store });
    const lab2 = new Lab(b.h);
    await lab2.handle({ kind: 'import', id: 3, bytes, config: ownConfig() });
    const imported = of(b.events, 'imported')[0]!;
    expect(imported.id).toBe(3);
    expect(imported.network.layers.map((l) => l.type)).toEqual(net3.layers.map((l) => l.type));
    expect(of(b.events, 'restored')[0]!.config.imported).toBe(true);
    await lab2.handle({ kind: 'predict', id: 4, pixels: image });
    const after = of(b.events, 'prediction')[0]!.probabilities;
    after.forEach((p, k) => expect(p).toBeCloseTo(before[k]!, 6));
    // saved at once, so a reload finds it, with its origin
    expect((await store.load())!.config.imported).toBe(true);
    await lab2.handle({ kind: 'weights', id: 5 });
    expect(of(b.events, 'weights')[0]!.weights!.imported).toBe(true);

    await lab2.handle({
      kind: 'import',
      id: 6,
      bytes: new Uint8Array([1, 2, 3]),
      config: ownConfig(),
    });
    expect(of(b.events, 'import-failed')[0]!.message).toMatch(/\S/);
    await lab2.handle({ kind: 'import', id: 7, bytes, config: smallConfig() });
    expect(of(b.events, 'import-failed')[1]!.message).toBe(
      "it scores 3 classes; this lab's network scores 10",
    );
    // the imported net is still held
    await lab2.handle({ kind: 'predict', id: 8, pixels: image });
    expect(of(b.events, 'prediction')[1]!.probabilities).toEqual(after);
  });

  it('an import asks before it replaces a run trained here, held or only saved', async () => {
    const store = memoryStore();
    const a = host({ store });
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'start', config: ownConfig({ epochs: 1 }) });
    await a.until((e) => e.kind === 'status' && e.state === 'done', 60_000);
    await lab.handle({ kind: 'export', id: 1 });
    const bytes = of(a.events, 'exported')[0]!.bytes;
    const test = of(a.events, 'eval').at(-1)!.testAccuracy;

    // held: nothing replaced, the run's place said
    await lab.handle({ kind: 'import', id: 2, bytes, config: ownConfig() });
    expect(of(a.events, 'import-confirm')).toEqual([
      { kind: 'import-confirm', id: 2, epoch: 1, step: 0, testAccuracy: test },
    ]);
    expect(of(a.events, 'imported')).toEqual([]);
    expect((await store.load())!.config.imported).toBeUndefined();

    // only saved (a new page, nothing restored yet): the same question
    const b = host({ store });
    const lab2 = new Lab(b.h);
    await lab2.handle({ kind: 'import', id: 3, bytes, config: ownConfig() });
    expect(of(b.events, 'import-confirm')[0]!.epoch).toBe(1);
    expect(of(b.events, 'imported')).toEqual([]);

    // the reader says replace: it is the lab's run now, and a fresh import of it asks nothing
    await lab2.handle({ kind: 'import', id: 4, bytes, config: ownConfig(), replace: true });
    expect(of(b.events, 'imported')[0]!.id).toBe(4);
    expect((await store.load())!.config.imported).toBe(true);
    await lab2.handle({ kind: 'import', id: 5, bytes, config: ownConfig() });
    expect(of(b.events, 'imported')[1]!.id).toBe(5);
    expect(of(b.events, 'import-confirm')).toHaveLength(1);
  });
});
