import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/cnn/index.ts';
import { checkRequest } from '../../../src/widgets/cell/check';
import { createApi } from '../../../src/widgets/cell/worker/api';
import { OpRecorder } from '../../../src/widgets/cell/worker/record';
import { createSession } from '../helpers/ort-node';

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
    const session = await createSession(req.model());
    const feeds = Object.fromEntries(
      Object.entries(req.feeds).map(([k, v]) => [
        k,
        { shape: v.dims, data: v.data as Float32Array },
      ]),
    );
    const out = await session.run(feeds);
    for (const [name, expected] of Object.entries(req.expected)) {
      const got = out[name]!.data;
      expect(got.length, name).toBe(expected.length);
      let worst = 0;
      for (let k = 0; k < got.length; k++)
        worst = Math.max(worst, Math.abs(got[k]! - expected[k]!));
      expect(worst, name).toBeLessThan(1e-4);
    }
    await session.release();
    // Same ops and shapes ⇒ same session key; another shape ⇒ another.
    expect(checkRequest('t', rec.ops).key).toBe(req.key);
    expect(checkRequest('t', rec.ops.slice(1)).key).not.toBe(req.key);
  });
});
