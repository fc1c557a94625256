/**
 * Wall-clock time per run of small graphs (one op or a few) on ORT wasm in Node, without the
 * profiler (which distorts multi-threaded kernels). Alternates graphs round by round.
 *   node_modules/.bin/node bench/ort/ops-wall.ts <threads> [filter]
 */
import * as ort from 'onnxruntime-web';
import { GraphBuilder } from '../../src/onnx/index.ts';
import type { Value } from '../../src/onnx/index.ts';

ort.env.wasm.numThreads = Number(process.argv[2] ?? 1);
const filter = process.argv[3] ?? '';
type Build = (b: GraphBuilder, ins: Record<string, Value>) => Value[];
const graphs: { name: string; shapes: Record<string, number[]>; build: Build }[] = [];
const add = (name: string, shapes: Record<string, number[]>, build: Build) => {
  if (name.includes(filter)) graphs.push({ name, shapes, build });
};

// The five convolutions of the tutorial net's training step, as the default graph has them.
add('conv1 fwd (Conv+Relu)', { x: [64, 1, 28, 28], w: [8, 1, 5, 5], b: [8] }, (b, i) => [
  b.relu(b.conv(i.x!, i.w!, i.b!)),
]);
add('conv2 fwd (Conv+Relu)', { x: [64, 8, 12, 12], w: [16, 8, 5, 5], b: [16] }, (b, i) => [
  b.relu(b.conv(i.x!, i.w!, i.b!)),
]);
add('conv2 dK (Conv, batch as channels)', { xt: [8, 64, 12, 12], dyt: [16, 64, 8, 8] }, (b, i) => [
  b.conv(i.xt!, i.dyt!, null),
]);
add('conv1 dK (Conv, batch as channels)', { xt: [1, 64, 28, 28], dyt: [8, 64, 24, 24] }, (b, i) => [
  b.conv(i.xt!, i.dyt!, null),
]);
add('conv2 dx (ConvTranspose)', { dy: [64, 16, 8, 8], w: [16, 8, 5, 5] }, (b, i) => [
  b.convTranspose(i.dy!, i.w!, null, {}),
]);
add(
  'conv2 dx (Conv of padded dy, flipped kernel)',
  { dyp: [64, 16, 16, 16], wf: [8, 16, 5, 5] },
  (b, i) => [b.conv(i.dyp!, i.wf!, null)],
);
add('MaxPool 2x2 [64,8,24,24]', { x: [64, 8, 24, 24] }, (b, i) => [
  b.maxPool(i.x!, { kernelShape: [2, 2], strides: [2, 2] }),
]);
add('SpaceToDepth 2 [64,8,24,24]', { x: [64, 8, 24, 24] }, (b, i) => [
  b.op('SpaceToDepth', [i.x!], { blocksize: 2 }),
]);
add('Slice stride 2 [64,8,24,24]', { x: [64, 8, 24, 24] }, (b, i) => [
  b.slice(i.x!, [0, 0], [24, 24], [2, 3], [2, 2]),
]);
add('DepthToSpace 2 [64,32,12,12]', { x: [64, 32, 12, 12] }, (b, i) => [
  b.op('DepthToSpace', [i.x!], { blocksize: 2, mode: 'DCR' }),
]);
add('Transpose [64,8,24,24] 1,0,2,3', { x: [64, 8, 24, 24] }, (b, i) => [
  b.transpose(i.x!, [1, 0, 2, 3]),
]);

add('100 chained Mul [10] (per-node overhead ×100)', { x: [10], s: [1] }, (b, i) => {
  let v = i.x!;
  for (let k = 0; k < 100; k++) v = b.mul(v, i.s!);
  return [v];
});
add('Relu [64,8,24,24] (feed + fetch 1.2 MB)', { x: [64, 8, 24, 24] }, (b, i) => [b.relu(i.x!)]);
add('Relu [10] (run overhead)', { x: [10] }, (b, i) => [b.relu(i.x!)]);

const results: { name: string; times: number[] }[] = [];
const sessions = [];
for (const g of graphs) {
  sessions.push(
    await (async () => {
      const b = new GraphBuilder();
      const ins: Record<string, Value> = {};
      for (const [k, s] of Object.entries(g.shapes)) ins[k] = b.input(k, 'float32', s);
      g.build(b, ins).forEach((v, i) => b.output(v, `out${i}`));
      const session = await ort.InferenceSession.create(b.toModelBytes(), {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
      const feeds: Record<string, ort.Tensor> = {};
      for (const [k, s] of Object.entries(g.shapes)) {
        const n = s.reduce((a, d) => a * d, 1);
        feeds[k] = new ort.Tensor(
          'float32',
          Float32Array.from({ length: n }, () => Math.random() - 0.3),
          s,
        );
      }
      results.push({ name: g.name, times: [] });
      return { session, feeds, r: results.at(-1)! };
    })(),
  );
}
for (let round = 0; round < 10; round++) {
  for (const { session, feeds, r } of sessions) {
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) {
      const out = await session.run(feeds);
      for (const t of Object.values(out)) t.dispose();
    }
    if (round > 0) r.times.push((performance.now() - t0) / 10);
  }
}
for (const r of results) {
  const s = [...r.times].sort((a, b) => a - b);
  console.log(
    `${r.name.padEnd(48)} best ${s[0]!.toFixed(3)} ms  median ${s[Math.floor(s.length / 2)]!.toFixed(3)} ms`,
  );
}
