/**
 * The tutorial net in ConvNetJS and in TensorFlow.js, set up as each library's documentation
 * does it (ConvNetJS's MNIST demo; TF.js's layers-free core API with an optimizer), SGD with
 * momentum 0.9 at lr 0.05, batch 64, on the same digits. `time` runs one training step per call.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients; the union package @tensorflow/tfjs imports these.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// @ts-expect-error: ConvNetJS ships no types (a UMD build assigning module.exports)
import convnetjs from 'convnetjs';

export interface Batch {
  readonly images: Float32Array; // batch × 784 in [0, 1]
  readonly labels: Uint8Array;
}

type Timer = (
  step: (i: number) => unknown,
) => Promise<{ imagesPerSecond: number; msPerStep: number }>;

/* eslint-disable @typescript-eslint/no-explicit-any -- ConvNetJS is untyped */
export function runConvnetjs(data: readonly Batch[], batch: number, time: Timer) {
  const net: any = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'softmax', num_classes: 10 },
  ]);
  const trainer: any = new convnetjs.Trainer(net, {
    method: 'sgd',
    learning_rate: 0.05,
    momentum: 0.9,
    batch_size: batch,
    l2_decay: 0,
  });
  // Volumes made once: the timing is of training, not of copying pixels.
  const vols = data.map((b) =>
    Array.from({ length: batch }, (_, m) => {
      const v: any = new convnetjs.Vol(28, 28, 1, 0);
      v.w.set(b.images.subarray(m * 784, (m + 1) * 784));
      return v;
    }),
  );
  return time((i) => {
    const k = i % data.length;
    for (let m = 0; m < batch; m++) trainer.train(vols[k]![m], data[k]!.labels[m]);
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function runTfjs(data: readonly Batch[], batch: number, time: Timer) {
  await tf.setBackend('cpu');
  await tf.ready();
  const he = <R extends tf.Rank>(shape: number[], fanIn: number) =>
    tf.variable(tf.mul(tf.randomUniform(shape, -1, 1), Math.sqrt(6 / fanIn))) as tf.Variable<R>;
  const w1 = he<tf.Rank.R4>([5, 5, 1, 8], 25);
  const b1 = tf.variable(tf.zeros([8])) as tf.Variable<tf.Rank.R1>;
  const w2 = he<tf.Rank.R4>([5, 5, 8, 16], 200);
  const b2 = tf.variable(tf.zeros([16])) as tf.Variable<tf.Rank.R1>;
  const wd = he<tf.Rank.R2>([256, 10], 256);
  const bd = tf.variable(tf.zeros([10]));
  const opt = tf.train.momentum(0.05, 0.9);
  const xs = data.map((b) => tf.tensor4d(b.images, [batch, 28, 28, 1]));
  const ys = data.map((b) => tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10));
  // conv → +bias → relu → 2×2 max pool (tf.add broadcasts the bias over N, H, W)
  const block = (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) =>
    tf.maxPool(tf.relu(tf.add(tf.conv2d(x, w, 1, 'valid'), b)) as tf.Tensor4D, 2, 2, 'valid');
  const loss = (x: tf.Tensor4D, y: tf.Tensor) => () => {
    const h2 = block(block(x, w1, b1), w2, b2);
    const logits = tf.add(tf.matMul(tf.reshape(h2, [batch, 256]), wd), bd);
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };
  return time(async (i) => {
    const k = i % data.length;
    const l = opt.minimize(loss(xs[k]!, ys[k]!), true);
    await l?.data();
    l?.dispose();
  });
}
