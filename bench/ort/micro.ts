/**
 * Times small graphs (candidate formulations of one backward rule) on ORT wasm in Node.
 *   node_modules/.bin/node bench/ort/micro.ts [threads]
 */
import * as ort from 'onnxruntime-web';
import { GraphBuilder } from '../../src/onnx/index.ts';
import type { Value } from '../../src/onnx/index.ts';

ort.env.wasm.numThreads = Number(process.argv[2] ?? 1);

async function time(
  name: string,
  shapes: Record<string, number[]>,
  build: (b: GraphBuilder, ins: Record<string, Value>) => Value[],
): Promise<void> {
  const b = new GraphBuilder();
  const ins: Record<string, Value> = {};
  for (const [k, s] of Object.entries(shapes)) ins[k] = b.input(k, 'float32', s);
  build(b, ins).forEach((v, i) => b.output(v, `out${i}`));
  const session = await ort.InferenceSession.create(b.toModelBytes(), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    enableProfiling: true,
  });
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, s] of Object.entries(shapes)) {
    const data = Float32Array.from({ length: s.reduce((a, d) => a * d, 1) }, () =>
      Math.round(Math.random() * 4),
    );
    feeds[k] = new ort.Tensor('float32', data, s);
  }
  const runs = 40;
  for (let i = 0; i < runs; i++) await session.run(feeds);
  // ORT prints the profile on stdout; profile-summary.mjs --sections sums it per section.
  console.log(`@@ ${name}`);
  session.endProfiling();
}

const N = 64,
  C = 8,
  H = 24,
  K = 2,
  Ho = H / K,
  M = N * C * Ho * Ho;
const range = (k: number) => Array.from({ length: k }, (_, i) => i);

const L = C * Ho * Ho;
const which = process.argv[3] ?? 'all';
if (which === 'all' || which === 'pool') {
  await time('MaxPool 2x2', { x: [N, C, H, H] }, (b, { x }) => [
    b.maxPool(x!, { kernelShape: [2, 2], strides: [2, 2] }),
  ]);
  await time('SpaceToDepth', { x: [N, C, H, H] }, (b, { x }) => [
    b.op('SpaceToDepth', [x!], { blocksize: 2 }),
  ]);
  await time('DepthToSpace DCR', { x: [N, 4 * C, Ho, Ho] }, (b, { x }) => [
    b.op('DepthToSpace', [x!], { blocksize: 2, mode: 'DCR' }),
  ]);
  await time('[N,4,L] ArgMax axis 1', { x: [N, 4, L] }, (b, { x }) => [b.argMax(x!, 1, true)]);
  await time('[N,4,L] ReduceMax axis 1', { x: [N, 4, L] }, (b, { x }) => [
    b.reduce('ReduceMax', x!, [1], true),
  ]);
  await time('[N,4,L] CumSum axis 1 exclusive', { x: [N, 4, L] }, (b, { x }) => [
    b.op('CumSum', [x!, b.constant([1], [], 'int64')], { exclusive: 1 }),
  ]);
  await time(
    '[N,4,L] Equal(argmax, 0..3) + Where',
    { x: [N, 4, L], dy: [N, 1, L] },
    (b, { x, dy }) => [
      b.where(
        b.equal(b.argMax(x!, 1, true), b.constant(range(4), [4, 1], 'int64')),
        dy!,
        b.scalar(0),
      ),
    ],
  );
  await time('S2D path complete', { x: [N, C, H, H], dy: [N, C, Ho, Ho] }, (b, { x, dy }) => {
    const xw = b.reshape(b.op('SpaceToDepth', [x!], { blocksize: 2 }), [N, 4, L]);
    const mask = b.equal(b.argMax(xw, 1, true), b.constant(range(4), [4, 1], 'int64'));
    const dxw = b.where(mask, b.reshape(dy!, [N, 1, L]), b.scalar(0));
    return [
      b.op('DepthToSpace', [b.reshape(dxw, [N, 4 * C, Ho, Ho])], { blocksize: 2, mode: 'DCR' }),
    ];
  });
  await time(
    'S2D path, max via Max of slices',
    { x: [N, C, H, H], dy: [N, C, Ho, Ho] },
    (b, { x, dy }) => {
      const xw = b.reshape(b.op('SpaceToDepth', [x!], { blocksize: 2 }), [N, 4, L]);
      const m = b.reduce('ReduceMax', xw, [1], true);
      const eq = b.cast(b.equal(xw, m), 'float32');
      const earlier = b.op('CumSum', [eq, b.constant([1], [], 'int64')], { exclusive: 1 });
      const first = b.mul(eq, b.cast(b.equal(earlier, b.scalar(0)), 'float32'));
      const dxw = b.mul(first, b.reshape(dy!, [N, 1, L]));
      return [
        b.op('DepthToSpace', [b.reshape(dxw, [N, 4 * C, Ho, Ho])], { blocksize: 2, mode: 'DCR' }),
      ];
    },
  );
  await time(
    'MaxPool+Indices + ScatterElements',
    { x: [N, C, H, H], dy: [N, C, Ho, Ho] },
    (b, { x, dy }) => {
      const [, idx] = b.node('MaxPool', [x!], { kernel_shape: [2, 2], strides: [2, 2] }, 2, [
        'float32',
        'int64',
      ]);
      const zeros = b.op('ConstantOfShape', [b.int64s([N * C * H * H])], {}, 'float32');
      const sc = b.op('ScatterElements', [zeros, b.reshape(idx!, [-1]), b.reshape(dy!, [-1])], {
        axis: 0,
      });
      return [b.reshape(sc, [N, C, H, H])];
    },
  );
}
if (which === 'all' || which === 'slices') {
  for (let rep = 0; rep < 2; rep++) {
    await time(
      'MaxPool+Indices + ScatterElements',
      { x: [N, C, H, H], dy: [N, C, Ho, Ho] },
      (b, { x, dy }) => {
        const [y, idx] = b.node('MaxPool', [x!], { kernel_shape: [2, 2], strides: [2, 2] }, 2, [
          'float32',
          'int64',
        ]);
        const zeros = b.op('ConstantOfShape', [b.int64s([N * C * H * H])], {}, 'float32');
        const sc = b.op('ScatterElements', [zeros, b.reshape(idx!, [-1]), b.reshape(dy!, [-1])], {
          axis: 0,
        });
        return [y!, sc];
      },
    );
    await time(
      '4 strided Slices + Max + first-max index + ScatterElements',
      { x: [N, C, H, H], dy: [N, C, Ho, Ho] },
      (b, { x, dy }) => {
        const q = [0, 1].flatMap((i) =>
          [0, 1].map((j) => b.slice(x!, [i, j], [H, H], [2, 3], [2, 2])),
        );
        const y = b.op('Max', q);
        const off = b.where(
          b.equal(q[0]!, y),
          b.scalar(0),
          b.where(
            b.equal(q[1]!, y),
            b.scalar(1),
            b.where(b.equal(q[2]!, y), b.scalar(H), b.scalar(H + 1)),
          ),
        );
        const base: number[] = [];
        const nc = b.constant(
          Array.from({ length: N * C }, (_, k) => k * H * H),
          [N * C, 1, 1],
          'int64',
        );
        const rows = b.constant(
          Array.from({ length: Ho }, (_, k) => 2 * k * H),
          [Ho, 1],
          'int64',
        );
        const cols = b.constant(
          Array.from({ length: Ho }, (_, k) => 2 * k),
          [Ho],
          'int64',
        );
        void base;
        const idx = b.add(
          b.add(b.add(nc, rows), cols),
          b.cast(b.reshape(off, [N * C, Ho, Ho]), 'int64'),
        );
        const zeros = b.op('ConstantOfShape', [b.int64s([N * C * H * H])], {}, 'float32');
        const sc = b.op('ScatterElements', [zeros, b.reshape(idx, [-1]), b.reshape(dy!, [-1])], {
          axis: 0,
        });
        return [y, sc];
      },
    );
    await time('one strided Slice', { x: [N, C, H, H] }, (b, { x }) => [
      b.slice(x!, [0, 0], [H, H], [2, 3], [2, 2]),
    ]);
  }
}
if (which === 'all' || which === 'kgrad') {
  for (let rep = 0; rep < 2; rep++) {
    await time(
      'conv1 dW: Transpose dy + Conv(xT, dyT)',
      { x: [N, 1, 28, 28], dy: [N, 8, 24, 24] },
      (b, { x, dy }) => [
        b.conv(b.reshape(x!, [1, N, 28, 28]), b.transpose(dy!, [1, 0, 2, 3]), null, {}),
      ],
    );
    await time(
      'conv1 dW: grouped Conv (group = N) + ReduceSum',
      { x: [N, 1, 28, 28], dy: [N, 8, 24, 24] },
      (b, { x, dy }) => [
        b.reduce(
          'ReduceSum',
          b.reshape(
            b.conv(b.reshape(x!, [1, N, 28, 28]), b.reshape(dy!, [N * 8, 1, 24, 24]), null, {
              group: N,
            }),
            [N, 8 * 25],
          ),
          [0],
          false,
        ),
      ],
    );
    await time(
      'conv2 dW: Transposes + Conv(xT, dyT)',
      { x: [N, 8, 12, 12], dy: [N, 16, 8, 8] },
      (b, { x, dy }) => [
        b.transpose(
          b.conv(b.transpose(x!, [1, 0, 2, 3]), b.transpose(dy!, [1, 0, 2, 3]), null, {}),
          [1, 0, 2, 3],
        ),
      ],
    );
    await time(
      'conv2 dW: Expand dy over C + grouped Conv (group = N·C) + ReduceSum',
      { x: [N, 8, 12, 12], dy: [N, 16, 8, 8] },
      (b, { x, dy }) => {
        const k = b.reshape(
          b.op('Expand', [b.reshape(dy!, [N, 1, 16, 8, 8]), b.int64s([N, 8, 16, 8, 8])]),
          [N * 8 * 16, 1, 8, 8],
        );
        const o = b.conv(b.reshape(x!, [1, N * 8, 12, 12]), k, null, { group: N * 8 });
        return [
          b.transpose(
            b.reshape(
              b.reduce('ReduceSum', b.reshape(o, [N, 8 * 16 * 25]), [0], false),
              [8, 16, 5, 5],
            ),
            [1, 0, 2, 3],
          ),
        ];
      },
    );
    await time(
      'conv1 forward (reference point)',
      { x: [N, 1, 28, 28], w: [8, 1, 5, 5] },
      (b, { x, w }) => [b.conv(x!, w!, null, {})],
    );
  }
}
if (which === 'all') {
  await time('empty (Identity)', { x: [N, C, H, H] }, (b, { x }) => [b.op('Identity', [x!])]);
  await time('MaxPool 2x2', { x: [N, C, H, H] }, (b, { x }) => [
    b.maxPool(x!, { kernelShape: [2, 2], strides: [2, 2] }),
  ]);
  await time('MaxPool 2x2 + Indices', { x: [N, C, H, H] }, (b, { x }) =>
    b.node('MaxPool', [x!], { kernel_shape: [2, 2], strides: [2, 2] }, 2, ['float32', 'int64']),
  );
  await time('Transpose to window-major [4, M]', { x: [N, C, H, H] }, (b, { x }) => [
    b.reshape(b.transpose(b.reshape(x!, [N * C * Ho, K, Ho, K]), [1, 3, 0, 2]), [K * K, M]),
  ]);
  await time('window-major: ArgMax axis 0', { x: [K * K, M] }, (b, { x }) => [
    b.argMax(x!, 0, true),
  ]);
  await time('window-major: ReduceMax axis 0', { x: [K * K, M] }, (b, { x }) => [
    b.reduce('ReduceMax', x!, [0], true),
  ]);
  await time('window-major: argmax+Equal+Where', { x: [K * K, M], dy: [1, M] }, (b, { x, dy }) => [
    b.where(
      b.equal(b.argMax(x!, 0, true), b.constant(range(4), [4, 1], 'int64')),
      dy!,
      b.scalar(0),
    ),
  ]);
  await time(
    'window-major: full first-max chain (float)',
    { x: [K * K, M], dy: [1, M] },
    (b, { x, dy }) => {
      const mx = b.reduce('ReduceMax', x!, [0], true);
      const eq = b.cast(b.equal(x!, mx), 'float32'); // [4, M] ties
      // first tie: cumulative count of earlier ties via MatMul with strictly-lower-triangular [4,4]
      const tri = b.constant([0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0], [4, 4]);
      const earlier = b.matMul(tri, eq);
      const first = b.and(b.cast(eq, 'bool'), b.equal(earlier, b.scalar(0)));
      return [b.where(first, dy!, b.scalar(0))];
    },
  );
  await time('Transpose back [4, M] → [N,C,H,W]', { x: [K * K, M] }, (b, { x }) => [
    b.reshape(b.transpose(b.reshape(x!, [K, K, N * C * Ho, Ho]), [2, 0, 3, 1]), [N, C, H, H]),
  ]);
  await time(
    '6-D argmax path (current)',
    { x: [N, C, H, H], dy: [N, C, Ho, Ho] },
    (b, { x, dy }) => {
      const x6 = b.reshape(x!, [N, C, Ho, K, Ho, K]);
      const colIdx = b.argMax(x6, 5, true);
      const colMask = b.equal(colIdx, b.constant(range(K), [K], 'int64'));
      const rowMax = b.reduce('ReduceMax', x6, [5], true);
      const rowIdx = b.argMax(rowMax, 3, true);
      const rowMask = b.equal(rowIdx, b.constant(range(K), [K, 1, 1], 'int64'));
      return [
        b.reshape(
          b.where(b.and(colMask, rowMask), b.reshape(dy!, [N, C, Ho, 1, Ho, 1]), b.scalar(0)),
          [N, C, H, H],
        ),
      ];
    },
  );
  await time('Resize nearest ×2 (upsample dy)', { dy: [N, C, Ho, Ho] }, (b, { dy }) => [
    b.op('Resize', [dy!, null, b.constant([1, 1, 2, 2], [4])], { mode: 'nearest' }),
  ]);
  await time('Expand 6-D upsample dy', { dy: [N, C, Ho, Ho] }, (b, { dy }) => [
    b.reshape(
      b.op('Expand', [b.reshape(dy!, [N * C * Ho, 1, Ho, 1]), b.int64s([N * C * Ho, K, Ho, K])]),
      [N, C, H, H],
    ),
  ]);
  await time(
    'Equal-mask (all ties) full-res',
    { x: [N, C, H, H], y: [N, C, H, H], dy: [N, C, H, H] },
    (b, { x, y, dy }) => [b.where(b.equal(x!, y!), dy!, b.scalar(0))],
  );
}
