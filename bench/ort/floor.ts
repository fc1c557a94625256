/**
 * The floor of a tutorial-net training step on ORT wasm: a graph holding only its convolutions
 * (forward conv1 and conv2, conv2's input gradient, both kernel gradients, in the formulations
 * the training graph uses) plus one max pool and the transposes they need, with small outputs.
 * No training step can be faster than this with these kernels.
 *   node_modules/.bin/node bench/ort/floor.ts <threads>
 */
import * as ort from 'onnxruntime-web';
import { GraphBuilder } from '../../src/onnx/index.ts';

ort.env.wasm.numThreads = Number(process.argv[2] ?? 1);
const batch = 64;

type Parts =
  | 'forward'
  | 'dK2'
  | 'dx2'
  | 'dK1'
  | 'all'
  | 'dx2 flipped'
  | 'conv1 patches'
  | 'fwd patches'
  | 'conv1 gather'
  | 'dK1 gather'
  | 'dK1 slices'
  | 'dx2 canvas';
function graph(parts: Parts): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [batch, 1, 28, 28]);
  const w1 = b.input('w1', 'float32', [8, 1, 5, 5]);
  const w2 = b.input('w2', 'float32', [16, 8, 5, 5]);
  // conv1 as a MatMul over explicit patches [N, 25, 576], which its kernel gradient reuses
  const patches1 = () =>
    b.op(
      'Concat',
      Array.from({ length: 25 }, (_, r) =>
        b.reshape(
          b.slice(x, [Math.floor(r / 5), r % 5], [Math.floor(r / 5) + 24, (r % 5) + 24], [2, 3]),
          [batch, 1, 576],
        ),
      ),
      { axis: 1 },
    );
  // the same patches in one Gather: x as [N, 784], indices of each tap's 576 input cells
  const gatherIndex: number[] = [];
  for (let p = 0; p < 5; p++)
    for (let q = 0; q < 5; q++)
      for (let i = 0; i < 24; i++)
        for (let j = 0; j < 24; j++) gatherIndex.push((i + p) * 28 + j + q);
  const gathered = () =>
    b.reshape(
      b.op('Gather', [b.reshape(x, [batch, 784]), b.constant(gatherIndex, [25 * 576], 'int64')], {
        axis: 1,
      }),
      [batch, 25, 576],
    );
  const P1 =
    parts === 'conv1 patches' || parts === 'fwd patches'
      ? patches1()
      : parts === 'conv1 gather'
        ? gathered()
        : null;
  const h1 = P1
    ? b.reshape(b.relu(b.matMul(b.reshape(w1, [8, 25]), P1)), [batch, 8, 24, 24])
    : b.relu(b.conv(x, w1, null)); // [64, 8, 24, 24]
  const p1 = b.maxPool(h1, { kernelShape: [2, 2], strides: [2, 2] }); // [64, 8, 12, 12]
  const h2 = b.relu(b.conv(p1, w2, null)); // [64, 16, 8, 8]
  const outs = [b.reduce('ReduceSum', h2, [0, 1, 2, 3], false)];
  // stand-ins for the output gradients, with the right shapes: the activations themselves
  if (parts === 'all' || parts === 'dK2') {
    outs.push(b.conv(b.transpose(p1, [1, 0, 2, 3]), b.transpose(h2, [1, 0, 2, 3]), null));
  }
  if (parts === 'all' || parts === 'dx2') {
    const dx2 = b.convTranspose(h2, w2, null, {}); // [64, 8, 12, 12]
    outs.push(b.reduce('ReduceSum', dx2, [0, 1, 2, 3], false));
  }
  if (parts === 'dx2 flipped') {
    // Conv of dy (padded by the kernel size − 1, as an attribute) with the flipped kernel
    const flipped = b.slice(b.transpose(w2, [1, 0, 2, 3]), [4, 4], [-6, -6], [2, 3], [-1, -1]);
    const dx2 = b.conv(h2, flipped, null, { pads: [4, 4, 4, 4] });
    outs.push(b.reduce('ReduceSum', dx2, [0, 1, 2, 3], false));
  }
  if (parts === 'conv1 patches' || parts === 'conv1 gather' || parts === 'dK1 gather') {
    // dK1ᵀ[r, m] = Σ_n Σ_P patches[n, r, P] · dy[n, m, P]
    const dyT = b.transpose(b.reshape(h1, [batch, 8, 576]), [0, 2, 1]);
    outs.push(b.reduce('ReduceSum', b.matMul(P1 ?? gathered(), dyT), [0], false));
  }
  if (parts === 'dx2 canvas') {
    // the whole batch side by side as one wide image, 4 zero columns between neighbours, so
    // ConvTranspose runs one big GEMM instead of 64 small ones; each image's 12 output columns
    // land exactly on its own 12-column slot
    const canvas = b.reshape(b.transpose(b.pad(h2, [0, 0, 0, 0, 0, 0, 0, 4]), [1, 2, 0, 3]), [
      1,
      16,
      8,
      batch * 12,
    ]);
    const out = b.convTranspose(canvas, w2, null, {}); // [1, 8, 12, 64·12 + 4]
    const cropped = b.slice(out, [0], [batch * 12], [3]);
    const dx2 = b.transpose(b.reshape(cropped, [8, 12, batch, 12]), [2, 0, 1, 3]);
    outs.push(b.reduce('ReduceSum', dx2, [0, 1, 2, 3], false));
  }
  if (parts === 'dK1 slices') {
    const dyT = b.transpose(b.reshape(h1, [batch, 8, 576]), [0, 2, 1]);
    outs.push(b.reduce('ReduceSum', b.matMul(patches1(), dyT), [0], false));
  }
  if (parts === 'all' || parts === 'dK1') {
    outs.push(b.conv(b.transpose(x, [1, 0, 2, 3]), b.transpose(h1, [1, 0, 2, 3]), null));
  }
  outs.forEach((v, i) => b.output(v, `out${i}`));
  return b.toModelBytes();
}

const rand = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.3);
const feeds = {
  x: new ort.Tensor('float32', rand(batch * 784), [batch, 1, 28, 28]),
  w1: new ort.Tensor('float32', rand(200), [8, 1, 5, 5]),
  w2: new ort.Tensor('float32', rand(3200), [16, 8, 5, 5]),
};
const NAMES: Record<Parts, string> = {
  forward: 'forward convolutions + pool',
  dK2: 'forward + conv2 kernel gradient',
  dx2: 'forward + conv2 input gradient',
  dK1: 'forward + conv1 kernel gradient',
  all: 'forward + all three backward convolutions',
  'dx2 flipped': 'forward + conv2 input gradient, flipped Conv',
  'fwd patches': 'forward, conv1 as MatMul over patches',
  'conv1 patches': 'forward + conv1 kernel gradient, patches',
  'conv1 gather': 'forward + conv1 kernel gradient, Gather patches',
  'dK1 gather': 'forward (Conv) + conv1 kernel gradient, Gather',
  'dK1 slices': 'forward (Conv) + conv1 kernel gradient, Slices',
  'dx2 canvas': 'forward + conv2 input gradient, one canvas',
};
const which = (process.argv[3] ?? 'forward,dK2,dx2,dK1,all').split(',') as Parts[];
for (const parts of which) {
  const session = await ort.InferenceSession.create(graph(parts), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const times: number[] = [];
  for (let round = 0; round < 12; round++) {
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) {
      const out = await session.run(feeds);
      for (const t of Object.values(out)) t.dispose();
    }
    if (round > 1) times.push((performance.now() - t0) / 10);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${NAMES[parts].padEnd(42)} threads ${ort.env.wasm.numThreads}: ` +
      `best ${times[0]!.toFixed(2)} ms (${Math.round((batch * 1000) / times[0]!)} img/s), median ${times[5]!.toFixed(2)} ms`,
  );
}
