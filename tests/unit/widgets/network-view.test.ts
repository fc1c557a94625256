import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMnist } from '../../../scripts/build-mnist.mjs';
import {
  forward,
  initParams,
  mnistLargeNet,
  mnistTutorialNet,
  residualNet,
  tensor,
} from '../../../src/cnn/index.ts';
import type { NetworkSpec, Tensor } from '../../../src/cnn/index.ts';
import { CLASSES, parseMnistBin, toFloatBatch } from '../../../src/data/mnist.ts';
import { allMaps, stagesOf } from '../../../src/widgets/network-view/layout';
import { homeNet } from '../../../src/widgets/network-view/net';
import type { HomeAsset } from '../../../src/widgets/network-view/net';
import { initialState, placeText, readyNet, reduce } from '../../../src/widgets/network-view/state';
import type { NvState } from '../../../src/widgets/network-view/state';
import { cellWindow } from '../../../src/widgets/network-view/window';
import home from '../../../src/widgets/shared/home-net.json';

const threeClasses: NetworkSpec = {
  name: 'own3',
  inputShape: [1, 28, 28],
  layers: [
    { type: 'conv2d', filters: 2, kernelShape: [3, 3], pads: 'same' },
    { type: 'leakyRelu' },
    { type: 'avgPool2d', kernelShape: [2, 2] },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 3 },
  ],
};

describe('stagesOf(spec)', () => {
  it('the tutorial net: the input, six map layers, flatten, ten scores, the softmax', () => {
    const s = stagesOf(mnistTutorialNet);
    expect(s.map((x) => x.label)).toEqual([
      'input',
      'conv 8@5×5',
      'ReLU',
      'max pool 2×2',
      'conv 16@5×5',
      'ReLU',
      'max pool 2×2',
      'flatten',
      'dense 10',
      'softmax',
    ]);
    expect(s[1]).toMatchObject({ kind: 'maps', channels: 8, height: 24, width: 24, signed: true });
    expect(s[2]).toMatchObject({ kind: 'maps', signed: false });
    expect(s[7]).toMatchObject({ kind: 'vector', size: 256 });
    expect(s.at(-1)).toMatchObject({ kind: 'softmax', size: 10 });
    // Every map of every layer, the input image left out: 8 + 8 + 8 + 16 + 16 + 16.
    expect(allMaps(s)).toHaveLength(72);
  });
  it('assumes no ten classes: a 3-class net ends in 3 scores and a softmax of 3', () => {
    const s = stagesOf(threeClasses);
    expect(s.at(-2)).toMatchObject({ kind: 'vector', label: 'dense 3', size: 3 });
    expect(s.at(-1)).toMatchObject({ kind: 'softmax', size: 3 });
    expect(s[2]).toMatchObject({ label: 'leaky ReLU (α 0.01)', signed: true });
  });
});

/** Every map layer's cells, a few of them: the window's sum is the activation the engine gave. */
function checkWindows(spec: NetworkSpec, seed: number) {
  const params = initParams(spec, seed);
  const image = tensor(
    [1, 1, 28, 28],
    Array.from({ length: 784 }, (_, k) => ((k * 37) % 101) / 100),
  );
  const { activations } = forward(spec, params, image);
  const out = (k: number): Tensor => (k < 0 ? image : activations[k]!);
  let checked = 0;
  for (const m of allMaps(stagesOf(spec))) {
    const [, , h, w] = out(m.layer).shape as number[];
    for (const cell of [0, Math.floor((h! * w!) / 2) + 1, h! * w! - 1]) {
      const row = Math.floor(cell / w!);
      const col = cell % w!;
      const win = cellWindow({
        spec,
        params,
        input: out(m.layer - 1),
        output: out,
        layer: m.layer,
        channel: m.channel,
        row,
        col,
      })!;
      expect(win.value).toBe(out(m.layer).data[(m.channel * h! + row) * w! + col]);
      checked++;
    }
  }
  return checked;
}

describe('cellWindow(args)', () => {
  it('conv, ReLU, max pool, leaky ReLU, average pool, add, dropout: the sum is the activation', () => {
    expect(checkWindows(mnistTutorialNet, 3)).toBe(72 * 3);
    expect(checkWindows(threeClasses, 4)).toBeGreaterThan(0);
    expect(checkWindows(residualNet, 5)).toBeGreaterThan(0);
  });
  it('a 2×2 convolution by hand: patch, kernel, share and bias', () => {
    const spec: NetworkSpec = {
      name: 'hand',
      inputShape: [1, 3, 3],
      layers: [
        { type: 'conv2d', filters: 1, kernelShape: [2, 2] },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
    };
    const params = {
      ...initParams(spec, 1),
      '0.kernel': tensor([1, 1, 2, 2], [1, -1, 2, 0.5]),
      '0.bias': tensor([1], [0.25]),
    };
    const image = tensor([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const { activations } = forward(spec, params, image);
    const w = cellWindow({
      spec,
      params,
      input: image,
      output: (k) => activations[k]!,
      layer: 0,
      channel: 0,
      row: 1,
      col: 0,
    })!;
    // Window at row 1, column 0: [4 5; 7 8] · [1 −1; 2 0.5] = 4 − 5 + 14 + 4 = 17, + 0.25.
    expect(w).toMatchObject({ kind: 'conv', kh: 2, kw: 2, bias: 0.25, value: 17.25 });
    if (w.kind !== 'conv') throw new Error('not a conv window');
    expect(w.channels[0]).toMatchObject({ patch: [4, 5, 7, 8], subtotal: 17 });
    expect(w.inputCells).toEqual([3, 4, 6, 7]);
  });
  it('dense and flatten have no maps, hence no window', () => {
    const params = initParams(mnistTutorialNet, 1);
    const x = tensor([1, 1, 28, 28], new Array(784).fill(0));
    const { activations } = forward(mnistTutorialNet, params, x);
    const args = { spec: mnistTutorialNet, params, output: (k: number) => activations[k]! };
    expect(
      cellWindow({ ...args, input: activations[5]!, layer: 6, channel: 0, row: 0, col: 0 }),
    ).toBe(null);
  });
});

describe('reduce(state, action)', () => {
  const digits = [{ label: 7, pixels: new Array(784).fill(0) }];
  const net = (spec: NetworkSpec, id: number) =>
    readyNet({ id, spec, params: initParams(spec, id), about: '' });
  const ready: NvState = initialState(digits, net(mnistTutorialNet, 1));

  it('open goes to a map and clamps the cell to its size; go walks it; placeText counts from 0', () => {
    // Map 8 is the ReLU layer's map 0 (24×24); cell 999 clamps to 575.
    let s = reduce(ready, { kind: 'open', map: 8, cell: 24 * 3 + 5 });
    expect(s.open).toEqual({ map: 8, cell: 77, inChannel: 0 });
    expect(s.focus).toBe(8);
    expect(placeText(s)).toBe('layer 1 (ReLU), map 0, row 3, column 5');
    s = reduce(s, { kind: 'go', cell: 999 });
    expect(s.open?.cell).toBe(575);
    s = reduce(reduce(ready, { kind: 'open', map: 24, cell: 0 }), {
      kind: 'in-channel',
      channel: 99,
    });
    // Map 24 is the second conv's map 0: its input has 8 channels (0…7).
    expect(s.open?.inChannel).toBe(7);
    expect(reduce(s, { kind: 'close' }).open).toBe(null);
  });
  it('new weights for the same layers keep the stepper open; new layers close it', () => {
    const s = reduce(ready, { kind: 'open', map: 30, cell: 5 });
    expect(reduce(s, { kind: 'net', net: net(mnistTutorialNet, 2) }).open).toEqual(s.open);
    const other = reduce(s, { kind: 'net', net: net(mnistLargeNet, 3) });
    expect(other.open).toBe(null);
    expect(other.focus).toBe(0);
  });
  it('an empty drawing keeps the input and says why', () => {
    const s = reduce(ready, { kind: 'drawn', id: 1, pixels: null });
    expect(s.input).toEqual({ kind: 'digit', index: 0 });
    expect(s.drawMsg).toMatch(/empty/);
  });
});

describe('home-net.json (scripts/train-home-net.ts)', () => {
  it('decodes, and its stated test accuracy is what the reference engine measures', async () => {
    const phase = homeNet(home as unknown as HomeAsset);
    if (phase.kind !== 'ready') throw new Error('home net not ready');
    const dir = await mkdtemp(join(tmpdir(), 'convbook-home-net-'));
    try {
      await buildMnist({ outDir: dir });
      const data = parseMnistBin(await readFile(join(dir, 'mnist.bin')));
      let correct = 0;
      for (let start = 0; start < data.test.count; start += 250) {
        const idx = Uint32Array.from({ length: 250 }, (_, k) => start + k);
        const x = { shape: [250, 1, 28, 28], data: toFloatBatch(data.test.images, idx) };
        const { logits } = forward(phase.net.spec, phase.net.params, x);
        for (let i = 0; i < 250; i++) {
          const row = logits.data.subarray(i * CLASSES, (i + 1) * CLASSES);
          if (row.indexOf(Math.max(...row)) === data.test.labels[start + i]) correct++;
        }
      }
      expect(correct).toBe(home.test.correct);
      expect(home.test.accuracy).toBe(correct / data.test.count);
      expect(home.test.accuracy).toBeGreaterThan(0.97);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
