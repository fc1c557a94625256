/**
 * own-data's pure parts (src/widgets/own-data/state.ts): the reducer's edits and refusals, the lab
 * events it keeps (a restored run brings its examples back to an empty page), the config it
 * trains, the batch layout both engines compute, and the confusion counts; and the .onnx file
 * checks of the load-a-network input (shared/load-net.ts).
 */
import { describe, expect, it } from 'vitest';
import { outputShapes } from '../../../src/cnn/index';
import { pack } from '../../../src/data/own';
import { checkConfig } from '../../../src/runtime/lab/lab-rules';
import { onnxFileProblem } from '../../../src/widgets/shared/load-net';
import {
  accuracyOf,
  batchImages,
  confusionOf,
  initialOwn,
  layoutOf,
  ownConfig,
  reduce,
} from '../../../src/widgets/own-data/state';
import type { OwnNet, OwnState } from '../../../src/widgets/own-data/state';

const stroke = (row: number) => {
  const px = new Float32Array(784);
  for (let c = 4; c < 24; c++) px[row * 28 + c] = 1;
  return px;
};

function withExamples(names: string[], per: number): OwnState {
  let s = initialOwn(5);
  names.forEach((name, k) => {
    s = reduce(s, { kind: 'add-class', name });
    s = reduce(s, { kind: 'select', index: k });
    for (let n = 0; n < per; n++)
      s = reduce(s, { kind: 'add-example', pixels: stroke(4 + k * 6 + (n % 3)) });
  });
  return s;
}

describe('own-data reducer', () => {
  it('adds classes and examples to the selected class; a refusal keeps the data and says why', () => {
    let s = withExamples(['circle', 'cross'], 3);
    expect(s.dataset.classes.map((c) => c.examples.length)).toEqual([3, 3]);
    expect(s.message).toEqual({ text: 'Added example 2 to “cross”.', tone: 'info' });
    const before = s.dataset;
    s = reduce(s, { kind: 'add-class', name: 'CROSS' });
    expect(s.dataset).toBe(before);
    expect(s.message?.tone).toBe('error');
    s = reduce(s, { kind: 'add-example', pixels: new Float32Array(784) });
    expect(s.message?.text).toMatch(/blank/);
    expect(s.dataset).toBe(before);
    s = reduce(s, { kind: 'remove-class', index: 1 });
    expect(s.selected).toBe(0);
    expect(reduce(initialOwn(5), { kind: 'add-example', pixels: stroke(3) }).message?.text).toBe(
      'Name a class first.',
    );
  });
  it('a restored run brings its examples back only to an empty page; import failures are said', () => {
    const s = withExamples(['a', 'b'], 10);
    const config = ownConfig(s.dataset, 'wasm', 5);
    const progress = {
      epoch: 5,
      step: 0,
      stepsPerEpoch: 8,
      totalSteps: 40,
      seconds: 1,
      history: [],
    };
    const empty = reduce(initialOwn(5), {
      kind: 'lab',
      event: { kind: 'restored', config, progress },
    });
    expect(empty.dataset).toEqual(s.dataset);
    const other = withExamples(['x', 'y'], 1);
    const kept = reduce(other, { kind: 'lab', event: { kind: 'restored', config, progress } });
    expect(kept.dataset).toBe(other.dataset);
    const failed = reduce(s, {
      kind: 'lab',
      event: { kind: 'import-failed', id: 1, message: 'no' },
    });
    expect(failed.message).toEqual({
      text: 'That network could not be loaded: no.',
      tone: 'error',
    });
  });
  it('the config trains the lab’s own task: K outputs, augmentation on, accepted by the lab', () => {
    const s = withExamples(['a', 'b', 'c'], 10);
    const c = ownConfig(s.dataset, 'wasm', 5);
    expect(outputShapes(c.network, 1).at(-1)).toEqual([1, 3]);
    expect(c.augmentation.shift).toBeGreaterThan(0);
    expect(() => checkConfig(c)).not.toThrow();
    expect(() => checkConfig(ownConfig(withExamples(['a', 'b'], 9).dataset, 'wasm', 5))).toThrow(
      /“a” has 9 examples/,
    );
  });
});

describe('own-data batch', () => {
  const net: OwnNet = {
    id: 1,
    spec: ownConfig(withExamples(['a', 'b'], 10).dataset, 'wasm', 1).network,
    params: {},
    classes: ['a', 'b'],
    heldOut: {
      images: pack(withExamples(['a', 'b'], 2).dataset).images,
      labels: Uint8Array.of(0, 0, 1, 1),
    },
    about: '',
  };
  it('lays out held-out rows, the drawing, then one row per occluded patch (8 × 8, stride 4)', () => {
    expect(layoutOf(net, false)).toEqual({ heldOut: 4, drawing: -1, occluded: 0, total: 4 });
    const l = layoutOf(net, true);
    expect(l).toEqual({ heldOut: 4, drawing: 4, occluded: 36, total: 41 });
    const drawing = stroke(10);
    const images = batchImages(net, drawing, l);
    expect(images[4 * 28 + 4]).toBe(1); // held-out example 0, scaled from bytes
    expect(images.subarray(4 * 784, 5 * 784)).toEqual(drawing);
    // patch 0 covers rows 0–7, columns 0–7: row 10 is untouched, but patch (8, 4) blanks it
    expect(images.subarray(5 * 784, 6 * 784)).toEqual(drawing);
    const p = 5 + 2 * 6 + 1;
    expect(images[p * 784 + 10 * 28 + 5]).toBe(0);
    expect(images[p * 784 + 10 * 28 + 20]).toBe(1);
  });
  it('confusion counts by true class and argmax, and its accuracy', () => {
    const probs = Float32Array.of(0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.6, 0.4);
    const c = confusionOf(probs, Uint8Array.of(0, 0, 1, 1), 2);
    expect(c).toEqual([1, 1, 1, 1]);
    expect(accuracyOf(c, 2)).toBe(0.5);
  });
});

describe('onnxFileProblem', () => {
  it('refuses other files, empty and huge ones by name', () => {
    expect(onnxFileProblem('net.onnx', 5000)).toBeNull();
    expect(onnxFileProblem('cat.png', 5000)).toMatch(/not an \.onnx file/);
    expect(onnxFileProblem('net.ONNX', 0)).toBe('“net.ONNX” is empty (0 bytes).');
    expect(onnxFileProblem('big.onnx', 64 * 1048576)).toMatch(/64 MB, far larger/);
  });
});
