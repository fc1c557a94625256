import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SLOT,
  fromRecord,
  labWorkerName,
  memoryStore,
  slotOfWorker,
  toRecord,
} from '../../../src/runtime/lab/checkpoint';
import type { Checkpoint } from '../../../src/runtime/lab/checkpoint';
import { smallConfig } from './fixtures';

function checkpoint(): Checkpoint {
  const w = new Float32Array([0.1, -0, 3.4028234663852886e38, 1e-45, Math.PI, -2.5]);
  const bits = new Uint32Array(w.buffer);
  bits[5] = 0x7fc00123; // a NaN with a payload
  return {
    config: smallConfig(),
    progress: {
      epoch: 1,
      step: 2,
      stepsPerEpoch: 4,
      totalSteps: 8,
      seconds: 1.25,
      history: [
        {
          step: 4,
          epoch: 1,
          trainLoss: 1.5,
          trainAccuracy: 0.5,
          seconds: 1,
          testAccuracy: 0.75,
          testLoss: 0.9,
        },
      ],
    },
    state: {
      '0.kernel': { dims: [2, 3], data: w },
      '0.kernel.velocity': { dims: [6], data: new Float32Array(6) },
    },
    lr: 0.045,
    optimizerSteps: 6,
    savedAt: 123,
  };
}

describe('checkpoint records', () => {
  it('round-trip bit-exactly through structured clone (as IndexedDB stores them)', async () => {
    const c = checkpoint();
    const store = memoryStore();
    await store.save(c);
    c.state['0.kernel']!.data[0] = 42; // the saved copy is independent of the live weights
    const back = (await store.load())!;
    const original = checkpoint();
    expect(back.config).toEqual(original.config);
    expect(back.progress).toEqual(original.progress);
    expect([back.lr, back.optimizerSteps, back.savedAt]).toEqual([0.045, 6, 123]);
    for (const [name, t] of Object.entries(original.state)) {
      expect(back.state[name]!.dims).toEqual(t.dims);
      expect(Array.from(new Uint32Array(back.state[name]!.data.buffer))).toEqual(
        Array.from(new Uint32Array(t.data.buffer)),
      );
    }
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });
  it('rejects a bad record, saying what is wrong', () => {
    expect(() => fromRecord(null)).toThrow(/not a record/);
    expect(() => fromRecord({ ...toRecord(checkpoint()), version: 9 })).toThrow(
      /version 9, expected 1/,
    );
    const r = toRecord(checkpoint());
    const bad = { ...r, tensors: [{ name: 'x', dims: [2, 2], buffer: new ArrayBuffer(8) }] };
    expect(() => fromRecord(bad)).toThrow(/tensor x has 2 values, its shape \[2, 2\] needs 4/);
  });
});

describe('checkpoint slots', () => {
  it('lesson 9’s lab keeps the default slot and worker name; other labs get their own', () => {
    expect(labWorkerName()).toBe('convbook-lab');
    expect(slotOfWorker(labWorkerName())).toBe(DEFAULT_SLOT);
    expect(labWorkerName('overfit')).toBe('convbook-lab:overfit');
    expect(slotOfWorker(labWorkerName('overfit'))).toBe('overfit');
    expect(slotOfWorker('')).toBe(DEFAULT_SLOT); // a worker started without a name
  });
});
