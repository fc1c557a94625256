import { describe, expect, it } from 'vitest';
import { conv2d, fromNested, tensor } from '../../../src/cnn/index.ts';
import { API_NAMES, ENGINE_NAMES } from '../../../src/widgets/cell/api-names';
import type { CellMessage, RecordedOp } from '../../../src/widgets/cell/protocol';
import { createApi } from '../../../src/widgets/cell/worker/api';
import { MAX_RECORDED_OPS, OpRecorder } from '../../../src/widgets/cell/worker/record';

function setup() {
  const rec = new OpRecorder();
  const posted: CellMessage[] = [];
  const digit = { label: 7, pixels: Array.from({ length: 784 }, (_, i) => (i % 28) / 27) };
  const api = createApi(rec, (m) => posted.push(m), { digits: [digit] });
  return { rec, posted, api };
}

describe('the convbook API', () => {
  it('has exactly the names the page writes into the prelude, all defined', () => {
    const { api } = setup();
    expect(Object.keys(api).sort()).toEqual([...API_NAMES].sort());
    for (const name of ENGINE_NAMES) expect(api[name as keyof typeof api], name).toBeDefined();
  });

  it('records each checked op with its attributes, inputs (bias included) and result', () => {
    const { api, rec } = setup();
    const x = api.randomTensor([1, 2, 5, 5], 3);
    const k = api.randomTensor([3, 2, 3, 3], 4);
    const bias = tensor([3], [0.5, -1, 2]);
    const y = api.conv2d(x, k, { strides: 2, pads: 1, bias });
    expect(y.data).toEqual(conv2d(x, k, { strides: 2, pads: 1, bias }).data);
    api.relu(y);
    expect(rec.ops.map((o) => o.op)).toEqual(['conv2d', 'relu']);
    expect((rec.ops[0] as RecordedOp).attrs).toEqual({ strides: 2, pads: 1 });
    expect(rec.ops[0]!.inputs.map((t) => t.shape)).toEqual([[1, 2, 5, 5], [3, 2, 3, 3], [3]]);
    // A copy: writing into the result later does not change what ORT is asked to match.
    y.data[0] = 1e9;
    expect(rec.ops[0]!.output.data[0]).not.toBe(1e9);
  });

  it('records at most MAX_RECORDED_OPS calls and counts the rest', () => {
    const { api, rec } = setup();
    const x = tensor([1, 4], [1, -2, 3, -4]);
    for (let i = 0; i < MAX_RECORDED_OPS + 5; i++) api.relu(x);
    expect(rec.ops).toHaveLength(MAX_RECORDED_OPS);
    expect(rec.skipped).toBe(5);
  });

  it('mnist(i) gives the embedded digit as [1, 1, 28, 28]; a missing one says how many there are', () => {
    const { api } = setup();
    const { label, image } = api.mnist(0);
    expect(label).toBe(7);
    expect(image.shape).toEqual([1, 1, 28, 28]);
    expect(image.data[27]).toBeCloseTo(1);
    expect(() => api.mnist(1)).toThrow('mnist(1): this cell has 1 digits (0…0)');
  });

  it('show, heatmap, table and plot post plain outputs; checkConv2d posts its verdict', () => {
    const { api, posted, rec } = setup();
    api.show('hello', 2);
    api.heatmap(fromNested([[[[1, -1]]]]));
    api.table([{ a: 1 }]);
    api.plot([1, 2, 3]);
    const ok = api.checkConv2d((x, k, o) => conv2d(x, k, o));
    expect(ok).toBe(true);
    expect(posted.map((m) => (m.kind === 'output' ? m.output.kind : m.kind))).toEqual([
      'text',
      'heatmap',
      'table',
      'plot',
      'check',
    ]);
    // The checker's reference calls are recorded: ORT checks the expected values too.
    expect(rec.ops.length).toBe(12);
    expect(structuredClone(posted)).toEqual(posted);
  });
});
