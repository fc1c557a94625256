import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/cnn/index.ts';
import { checkRequest } from '../../../src/widgets/cell/check';
import { createApi } from '../../../src/widgets/cell/worker/api';
import { OpRecorder } from '../../../src/widgets/cell/worker/record';
import { errorsOnOrt } from './ort-check';

describe('checkRequest(cell, ops)', () => {
  it('one ONNX graph of every recorded op reproduces the reference results on ORT wasm', async () => {
    const rec = new OpRecorder();
    const api = createApi(rec, () => {}, null);
    const x = api.randomTensor([2, 2, 7, 6], 1);
    const y = api.conv2d(x, api.randomTensor([3, 2, 3, 2], 2), {
      strides: [2, 1],
      pads: [1, 0, 1, 1],
      bias: tensor([3], [0.1, 0.2, 0.3]),
    });
    const r = api.relu(y);
    const p = api.maxPool2d(r, { kernelShape: 2 });
    api.avgPool2d(r, { kernelShape: [2, 2], strides: 1, countIncludePad: false });
    api.leakyRelu(y, 0.2);
    api.tanh(y);
    api.sigmoid(y);
    const flat = tensor([2, p.data.length / 2], p.data);
    const logits = api.linear(
      flat,
      api.randomTensor([4, flat.shape[1]!], 3),
      tensor([4], [1, 2, 3, 4]),
    );
    api.softmax(logits);
    expect(rec.ops).toHaveLength(9);

    const req = checkRequest('t', rec.ops);
    for (const [name, e] of Object.entries(await errorsOnOrt(req))) {
      expect(e.length, name).toBe(req.expected[name]!.length);
      expect(e.worst, name).toBeLessThan(1e-4);
    }
    // Same ops and shapes ⇒ same session key; another shape ⇒ another.
    expect(checkRequest('t', rec.ops).key).toBe(req.key);
    expect(checkRequest('t', rec.ops.slice(1)).key).not.toBe(req.key);
  });
});

describe('checkRequest with recorded backward ops', () => {
  it('relu’s, conv2d’s and max pooling’s backward (tiling, overlapping, gapped) reproduce on ORT wasm', async () => {
    const rec = new OpRecorder();
    const api = createApi(rec, () => {}, null);
    const x = api.randomTensor([2, 2, 7, 6], 5);
    api.reluBackward(x, api.randomTensor([2, 2, 7, 6], 6));
    // conv2d's input gradient with a stride that leaves a row unread, and uneven padding.
    const kernel = api.randomTensor([3, 2, 3, 2], 4);
    const y = api.conv2d(x, kernel, { strides: [2, 1], pads: [1, 0, 1, 1] });
    api.conv2dInputGradient(x, kernel, api.randomTensor(y.shape, 8), {
      strides: [2, 1],
      pads: [1, 0, 1, 1],
    });
    for (const [k, s] of [
      [2, 2],
      [3, 1],
      [2, 3],
    ] as const) {
      const y = api.maxPool2d(x, { kernelShape: [k, k], strides: [s, s] });
      api.maxPool2dGradient(x, api.randomTensor(y.shape, 7 + k), {
        kernelShape: [k, k],
        strides: [s, s],
      });
    }
    const grads = rec.ops.filter((o) => o.op !== 'network' && o.backward);
    expect(grads.map((o) => o.op)).toEqual([
      'relu',
      'conv2d',
      'maxPool2d',
      'maxPool2d',
      'maxPool2d',
    ]);
    const req = checkRequest('g', rec.ops);
    // Overlapping and gapped windows need MaxPool's Indices: wasm only, and the badge says why.
    expect(req.wasmOnly).toMatch(/Indices/);
    expect(checkRequest('g', rec.ops.slice(0, 5)).wasmOnly).toBeUndefined();
    for (const [name, e] of Object.entries(await errorsOnOrt(req)))
      expect(e.worst, name).toBeLessThan(1e-5);
  });
});
