import { describe, expect, it } from 'vitest';
import { mnistTutorialNet, residualNet, tinyNet } from '../../../src/cnn/index';
import { countsGraph, expectedCounts } from '../../../src/widgets/cost/check';
import { costTable, trainingActivationBytes } from '../../../src/widgets/cost/counts';
import { PRESETS, PRESET_NAMES } from '../../../src/widgets/cost/nets';
import {
  costParams,
  initialState,
  netKey,
  netOf,
  reduceCost,
  stateFromParams,
} from '../../../src/widgets/cost/state';
import type { CostState } from '../../../src/widgets/cost/state';
import { patterned, timeLayer } from '../../../src/widgets/cost/reference-timing';
import { COMPARE_CASES, median, singleOp, timedLayers } from '../../../src/widgets/cost/timings';
import type { NetTimings } from '../../../src/widgets/cost/timings';
import { runModel } from '../helpers/ort-node';

const caseSpec = (id: string) => COMPARE_CASES.find((c) => c.id === id)!.spec;

describe('costTable(spec)', () => {
  it('tutorial net, by hand: conv 8@5×5 on 1×28×28, conv 16@5×5 on 8×12×12, dense 256 → 10', () => {
    const t = costTable(mnistTutorialNet);
    const r = t.rows;
    expect(r[0]).toMatchObject({
      outShape: [8, 24, 24],
      params: 8 * 25 + 8,
      macs: 8 * 24 * 24 * 25,
    });
    expect(r[0]!.bytes).toBe(4 * 8 * 24 * 24);
    expect(r[2]).toMatchObject({ outShape: [8, 12, 12], params: 0, macs: 0 });
    expect(r[3]).toMatchObject({ params: 16 * 8 * 25 + 16, macs: 16 * 8 * 8 * (8 * 25) });
    expect(r[7]).toMatchObject({ outShape: [10], params: 256 * 10 + 10, macs: 2560 });
    expect(t.params).toBe(208 + 3216 + 2570);
    expect(t.macs).toBe(115_200 + 204_800 + 2_560); // the "≈ 0.32 M" of the tutorial
  });

  it('tiny net: 4 filters 3×3 → 40 parameters, 4·26·26·9 multiply-adds; dense 676 → 10', () => {
    const r = costTable(tinyNet).rows;
    expect(r[0]).toMatchObject({ params: 40, macs: 24_336 });
    expect(r[4]).toMatchObject({ params: 6_770, macs: 6_760 });
  });

  it('residual add: no parameters, no multiply-adds, an 8×28×28 activation', () => {
    const add = costTable(residualNet).rows[5]!;
    expect(add).toMatchObject({ type: 'add', params: 0, macs: 0, bytes: 4 * 8 * 28 * 28 });
  });

  it('grouped conv: depthwise 32@3×3 (group 32) + 1×1 to 64 on 32×56×56', () => {
    const [dw, pw] = costTable(caseSpec('separable')).rows;
    expect(dw).toMatchObject({ params: 32 * 9 + 32, macs: 32 * 56 * 56 * 9 });
    expect(pw).toMatchObject({ params: 64 * 32 + 64, macs: 64 * 56 * 56 * 32 });
    expect(costTable(caseSpec('standard')).macs).toBe(64 * 56 * 56 * 32 * 9);
  });

  it('dense on a photo against a conv on it: parameters and multiply-adds swap places', () => {
    const dense = costTable(caseSpec('dense-photo'));
    const conv = costTable(caseSpec('conv-photo'));
    expect(dense.params).toBe(3 * 224 * 224 * 16 + 16);
    expect(dense.macs).toBe(3 * 224 * 224 * 16);
    expect(conv.params).toBe(16 * 27 + 16);
    expect(conv.macs).toBe(16 * 224 * 224 * 27);
  });

  it('training keeps every activation and the input; inference the largest adjacent pair', () => {
    const t = costTable(mnistTutorialNet);
    const mem = trainingActivationBytes(mnistTutorialNet, t, 64);
    expect(mem.training).toBe(64 * (t.bytes + 4 * 784));
    // conv 0's output and relu 1's output, 8×24×24 each
    expect(mem.inference).toBe(64 * 2 * 4 * 8 * 24 * 24);
  });
});

describe('reduceCost(state, action)', () => {
  const edit = (s: CostState, layer: number, setting: 'k' | 'f' | 's', raw: string) =>
    reduceCost(s, { kind: 'edit', layer, setting, raw });

  it('kernel 3 on layer 0: 8·9 + 8 = 80 parameters, output 8×26×26', () => {
    const s = edit(initialState(), 0, 'k', '3');
    const r = costTable(netOf(s)).rows[0]!;
    expect(r).toMatchObject({ params: 80, outShape: [8, 26, 26] });
    expect(s.errors).toEqual({});
  });

  it('"abc" and 0 give messages and keep the last valid network', () => {
    const first = edit(initialState(), 0, 'k', '3');
    const abc = edit(first, 0, 'k', 'abc');
    expect(abc.edits).toBe(first.edits);
    expect(abc.errors['k0']?.message).toMatch(/layer 0 kernel size: "abc" is not a number/);
    const zero = edit(first, 0, 'f', '0');
    expect(zero.errors['f0']?.message).toMatch(/must be a whole number from 1 to 256/);
    expect(zero.errors['f0']?.message).toMatch(/last valid network/);
    expect(netKey(netOf(zero))).toBe(netKey(netOf(first)));
  });

  it('an edit the network cannot take names the layer that does not fit', () => {
    const s = edit(initialState(), 0, 's', '2'); // 8×12×12 → pool 6×6
    const bad = edit(s, 3, 'k', '11');
    expect(bad.edits).toBe(s.edits);
    expect(bad.errors['k3']?.message).toMatch(/layer 3 \(conv2d\)/);
    // a valid edit clears it
    expect(edit(bad, 3, 'k', '3').errors).toEqual({});
  });

  it('a preset resets the edits; a timing for another network is not filed', () => {
    let s = edit(initialState(), 0, 'k', '3');
    s = reduceCost(s, { kind: 'preset', raw: 'tinyNet' });
    expect(s.preset).toBe('tinyNet');
    expect(netOf(s)).toEqual(PRESETS.tinyNet);
    const key = netKey(netOf(s));
    const net: NetTimings = { backend: 'wasm', layers: [], throughput: [] };
    s = reduceCost(s, { kind: 'timing', key });
    expect(reduceCost(s, { kind: 'timed', key: 'other', net })).toBe(s);
    expect(reduceCost(s, { kind: 'timed', key, net }).timing).toEqual({ status: 'done', key, net });
  });

  it('the link round-trips, and a bad link value is a note', () => {
    let s = reduceCost(initialState(), { kind: 'preset', raw: 'mnistLargeNet' });
    s = edit(s, 3, 'f', '64');
    const params = costParams(s);
    expect(params).toMatchObject({ net: 'mnistLargeNet', f3: '64', k3: undefined });
    const map = new Map(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
    expect(netOf(stateFromParams(map).state)).toEqual(netOf(s));
    const bad = stateFromParams(new Map([['k0', 'abc']]));
    expect(bad.notes[0]).toMatch(
      /From the link: layer 0 kernel size: "abc" is not a number\. Using 5\./,
    );
  });
});

describe('timings', () => {
  it('median(values)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('singleOp(spec, i, batch): the layer as a one-op graph with the engine’s shapes', () => {
    expect(singleOp(mnistTutorialNet, 0, 16)).toMatchObject({
      op: 'conv2d',
      inputShapes: [[16, 1, 28, 28], [8, 1, 5, 5], [8]],
    });
    expect(singleOp(mnistTutorialNet, 7, 16)).toMatchObject({
      op: 'linear',
      inputShapes: [[16, 256], [10, 256], [10]],
    });
    expect(singleOp(mnistTutorialNet, 6, 16)).toBeUndefined(); // flatten
    expect(timedLayers(residualNet)).not.toContain(5); // the add reads an earlier output
  });

  it('timeLayer runs a layer through its record and returns a positive median', () => {
    expect(
      timeLayer(tinyNet, { '0.kernel': patterned([4, 1, 3, 3]), '0.bias': patterned([4]) }, 0, 2),
    ).toBeGreaterThan(0);
  });
});

describe('countsGraph(spec) on ORT (wasm, Node)', () => {
  for (const name of PRESET_NAMES) {
    it(`${name}: ORT's shapes, initializer sizes and multiply-adds equal the engine's`, async () => {
      const spec = PRESETS[name];
      const { bytes, outputs } = countsGraph(spec);
      const expected = expectedCounts(spec, costTable(spec));
      expect(outputs.sort()).toEqual(Object.keys(expected).sort());
      const got = await runModel(bytes, {
        images: { shape: [1, ...spec.inputShape], data: new Float32Array(784) },
      });
      for (const [k, v] of Object.entries(expected)) expect([...got[k]!.data], k).toEqual([...v]);
    });
  }
});
