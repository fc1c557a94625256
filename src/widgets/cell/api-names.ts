/**
 * Every name the reader's code has in scope (and as `convbook.<name>`): the page needs the list
 * to write the module prelude without loading the engine; a unit test holds it equal to the
 * worker's API object. Documented in docs/cells.md.
 */

/** The reference engine's functions and presets, passed through unchanged. */
export const ENGINE_NAMES = [
  'tensor',
  'zeros',
  'fromNested',
  'toNested',
  'reshape',
  'cloneTensor',
  'sizeOf',
  'shapeToString',
  'createRng',
  'heNormal',
  'glorotUniform',
  'convGeometry',
  'conv2dFast',
  'conv2dBackward',
  'conv2dTrace',
  'convTranspose2dBackward',
  'maxPool2dBackward',
  'maxPool2dArgmax',
  'maxPool2dTrace',
  'avgPool2dBackward',
  'leakyReluBackward',
  'sigmoidBackward',
  'tanhBackward',
  'softmaxBackward',
  'linearBackward',
  'flatten',
  'flattenBackward',
  'softmaxCrossEntropy',
  'softmaxCrossEntropyBackward',
  'accuracy',
  'dropout',
  'forward',
  'backward',
  'lossAndGradients',
  'initParams',
  'paramShapes',
  'layerShapes',
  'outputShapes',
  'createOptimizerState',
  'optimizerStep',
  'tinyNet',
  'mnistTutorialNet',
  'mnistLargeNet',
  'residualNet',
  'gradientToInput',
] as const;

/** The ops whose every call is recorded and recomputed on onnxruntime-web. */
export const CHECKED_OP_NAMES = [
  'conv2d',
  'convTranspose2d',
  'maxPool2d',
  'maxPool2dGradient',
  'conv2dInputGradient',
  'avgPool2d',
  'relu',
  'reluBackward',
  'leakyRelu',
  'sigmoid',
  'tanh',
  'softmax',
  'linear',
] as const;

/** The cell's own helpers: output, samples, random tensors, the exercise checkers. */
export const HELPER_NAMES = [
  'show',
  'heatmap',
  'table',
  'plot',
  'mnist',
  'randomTensor',
  'digits',
  'predict',
  'train',
  'iou',
  'nms',
] as const;

/** The exercise checkers (worker/exercises.ts): `checkConv2d(myConv2d)` … */
export const CHECKER_NAMES = [
  'checkConv2d',
  'checkMaxPool2d',
  'checkRelu',
  'checkReluBackward',
  'checkMaxPool2dBackward',
  'checkConv2dBackward',
] as const;

export const API_NAMES: readonly string[] = [
  ...ENGINE_NAMES,
  ...CHECKED_OP_NAMES,
  ...HELPER_NAMES,
  ...CHECKER_NAMES,
];
