/** The reference CNN engine: pure TypeScript, NCHW float32, ONNX attribute semantics. */
export {
  cloneTensor,
  fromNested,
  reshape,
  sameShape,
  shapeToString,
  sizeOf,
  tensor,
  toNested,
  zeros,
  type Nested,
  type Tensor,
} from './tensor.ts';
export { CnnError } from './errors.ts';
export { createRng, type Rng } from './random.ts';
export { glorotUniform, heNormal } from './init.ts';
export { checkFinite, type PairLike } from './check.ts';
export {
  convGeometry,
  inputCol,
  inputRow,
  resolvePads,
  type ConvGeometry,
  type ConvGeometryArgs,
  type PaddingLike,
} from './geometry.ts';

export { conv2d, conv2dBackward, type Conv2dGradients } from './ops/conv2d.ts';
export { conv2dFast, conv2dFastBackward } from './ops/conv2dFast.ts';
export {
  conv2dSetup,
  type Conv2dAttributes,
  type Conv2dOptions,
  type Conv2dSetup,
} from './ops/conv2dSetup.ts';
export {
  conv2dInputGradTrace,
  conv2dKernelGradTrace,
  conv2dTrace,
  type ConvForwardTerm,
  type ConvForwardTrace,
  type InputGradTerm,
  type KernelGradTerm,
} from './ops/conv2dTrace.ts';
export {
  convTranspose2d,
  convTranspose2dBackward,
  type ConvTranspose2dAttributes,
} from './ops/convTranspose2d.ts';
export { poolGeometry, type Pool2dAttributes, type PoolWindowCell } from './ops/pool.ts';
export {
  maxPool2d,
  maxPool2dArgmax,
  maxPool2dBackward,
  maxPool2dTrace,
  maxPool2dWithArgmax,
} from './ops/maxPool2d.ts';
export {
  avgPool2d,
  avgPool2dBackward,
  avgPool2dTrace,
  type AvgPool2dAttributes,
} from './ops/avgPool2d.ts';
export { relu, reluBackward } from './ops/relu.ts';
export { leakyRelu, leakyReluBackward } from './ops/leakyRelu.ts';
export { sigmoid, sigmoidBackward } from './ops/sigmoid.ts';
export { tanh, tanhBackward } from './ops/tanh.ts';
export { flatten, flattenBackward } from './ops/flatten.ts';
export { linear, linearBackward } from './ops/linear.ts';
export { add, addBackward } from './ops/add.ts';
export { softmax, softmaxBackward } from './ops/softmax.ts';
export {
  accuracy,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  type Labels,
} from './ops/crossEntropy.ts';
export { dropout, dropoutBackward, dropoutMask } from './ops/dropout.ts';
export {
  fromPixelRows,
  pixelSoftmax,
  pixelSoftmaxCrossEntropy,
  toPixelRows,
} from './ops/pixelCrossEntropy.ts';
export {
  detectionLoss,
  detectionOutputs,
  headChannels,
  targetColumns,
  type DetectionLoss,
} from './ops/detectionLoss.ts';

export type * from './nn/spec.ts';
export { checkParams, initParams, paramNames, paramShapes, type Params } from './nn/params.ts';
export { layerName, layerShapes, outputShapes, type LayerShapes } from './nn/shapes.ts';
export {
  backward,
  dropoutLayerSeed,
  forward,
  gradientToInput,
  lossAndGradients,
  type BackwardOptions,
  type BackwardResult,
  type ForwardOptions,
  type ForwardResult,
  type GradientSeed,
  type LossAndGradients,
} from './nn/network.ts';
export { LAYERS, recordOf } from './layers/index.ts';
export type {
  ForwardContext,
  LayerGradients,
  LayerRecord,
  LayerStep,
  LayerTable,
  ParamRule,
  ShapeContext,
} from './layers/types.ts';
export { mnistLargeNet, mnistTutorialNet, residualNet, tinyNet } from './nn/presets.ts';
export { sceneDetectNet, sceneSegNet, tinyDetectNet, tinySegNet } from './nn/scene-presets.ts';
export {
  deserializeOptimizerState,
  deserializeParams,
  deserializeTensor,
  serializeOptimizerState,
  serializeParams,
  serializeTensor,
  type SerializedOptimizerState,
  type SerializedParams,
  type SerializedTensor,
} from './nn/serialize.ts';

export type * from './optim/spec.ts';
export {
  createOptimizerState,
  optimizerStep,
  slotNames,
  type OptimizerState,
} from './optim/optimizer.ts';
