import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/cnn/index.ts';
import {
  MAX_CELLS,
  MAX_MAPS,
  formatValue,
  heatmapOutputs,
  plotOutput,
  showOutputs,
  tableOutput,
  textOutput,
} from '../../../src/widgets/cell/outputs';

describe('output serialisation', () => {
  it('show(t) of a [1, 2, 2, 3] tensor gives one heatmap per feature map, labelled by index', () => {
    const t = tensor([1, 2, 2, 3], [0, 0.5, 1, 0, 0.25, 1, -1, 2, 0, 0, 0, 3]);
    const out = showOutputs([t]);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ kind: 'heatmap', rows: 2, cols: 3, diverging: false });
    expect(out[0]!.kind === 'heatmap' && out[0]!.label).toBe('tensor [1, 2, 2, 3] [0, 0, :, :]');
    expect(out[1]).toMatchObject({ kind: 'heatmap', diverging: true });
    expect(out[1]!.kind === 'heatmap' && [...out[1]!.values]).toEqual([-1, 2, 0, 0, 0, 3]);
    // Plain data: it survives the trip from the worker.
    expect(structuredClone(out)).toEqual(out);
  });

  it('heatmap caps the maps and refuses a map too large to draw', () => {
    const many = heatmapOutputs(tensor([1, MAX_MAPS + 3, 2, 2]));
    expect(many).toHaveLength(MAX_MAPS + 1);
    expect(many.at(-1)).toEqual({ kind: 'text', text: '… and 3 more maps not drawn' });
    const side = Math.ceil(Math.sqrt(MAX_CELLS)) + 1;
    expect(heatmapOutputs(tensor([side, side]))[0]!.kind).toBe('text');
    expect(
      heatmapOutputs(
        [
          [1, 2],
          [3, 4],
        ],
        { label: 'k' },
      )[0],
    ).toMatchObject({ label: 'k', rows: 2, cols: 2 });
    expect(() => heatmapOutputs([[1], [2, 3]])).toThrow('same length');
  });

  it('writes values as text: numbers to 6 digits, tensors with their shape', () => {
    expect(textOutput('sum', 1 / 3, [1, 2], { a: true }).kind === 'text').toBe(true);
    expect(formatValue(1 / 3)).toBe('0.333333');
    expect(formatValue({ a: [1, 'x'] })).toBe('{ a: [1, "x"] }');
    expect(formatValue(tensor([2], [1.5, -2]))).toBe('tensor [2] [1.5, -2]');
    expect(showOutputs([tensor([3], [1, 2, 3])])[0]).toEqual({
      kind: 'text',
      text: 'tensor [3] [1, 2, 3]',
    });
  });

  it('tables from objects and arrays; plots from numbers and rows', () => {
    expect(tableOutput([{ a: 1, b: 'x' }, { a: 2.123456789 }])).toEqual({
      kind: 'table',
      columns: ['a', 'b'],
      rows: [
        [1, 'x'],
        [2.12346, 'undefined'],
      ],
    });
    expect(tableOutput([[1, 2], [3]], ['p', 'q'])).toMatchObject({
      columns: ['p', 'q'],
      rows: [[1, 2], [3]],
    });
    expect(plotOutput([3, 4])).toEqual({
      kind: 'plot',
      mark: 'line',
      data: [
        { index: 0, value: 3 },
        { index: 1, value: 4 },
      ],
      x: 'index',
      y: 'value',
      z: undefined,
      title: undefined,
    });
    expect(
      plotOutput([{ step: 1, loss: 2, f: () => 0 }], { x: 'step', y: 'loss', mark: 'dot' }),
    ).toMatchObject({
      data: [{ step: 1, loss: 2 }],
      mark: 'dot',
    });
    expect(() => plotOutput([1], { mark: 'pie' as never })).toThrow("mark must be 'line'");
  });
});
