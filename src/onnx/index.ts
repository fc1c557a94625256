/**
 * ConvBook's ONNX side: a graph builder and the emitters that turn the reference engine's
 * NetworkSpec into ONNX models (one-op widgets, forward, training step, gradient graphs), plus reading models
 * back. Depends on src/cnn for types, geometry and shapes; never imports onnxruntime-web.
 */
export {
  GraphBuilder,
  Value,
  float,
  floats,
  type AttrValue,
  type Attrs,
  type Dim,
  type DType,
  type ModelOptions,
} from './builder.ts';
export {
  OP_NAMES,
  buildOpModel,
  emitOp,
  opInputNames,
  type OpAttributes,
  type OpModel,
  type OpName,
} from './single-op.ts';
export {
  activationName,
  buildForwardGraph,
  buildForwardModel,
  type ForwardModel,
  type ForwardModelOptions,
} from './forward.ts';
export {
  buildTrainingGraph,
  buildTrainingModel,
  oneHot,
  type TrainingModel,
  type TrainingModelOptions,
} from './train.ts';
export { optimizerScalars, scalarInputs, slotSuffixes } from './optimizer.ts';
export {
  emitBackward,
  emitGradients,
  emitNetwork,
  layerShapes,
  networkParams,
  type EmitGradientsOptions,
  type EmitNetworkOptions,
  type EmittedGradients,
  type ParamInfo,
} from './network.ts';
export {
  buildGradientGraph,
  buildGradientModel,
  layerGradientName,
  type GradientModel,
  type GradientModelOptions,
} from './gradients.ts';
export { emitSoftmaxCrossEntropy, type LossValues } from './loss.ts';
export { ONNX_LAYERS, onnxRecordOf } from './layers/index.ts';
export { emitConv2d, type ConvOptions } from './layers/conv.ts';
export type {
  EmitContext,
  EmittedLayer,
  GradientViews,
  LayerGradients,
  LayerInput,
  OnnxLayerRecord,
  OnnxLayerTable,
} from './layers/types.ts';
export {
  OnnxModelError,
  SHOWABLE_OPS,
  parseModel,
  type InitializerDescription,
  type ModelDescription,
  type NodeDescription,
  type ParseOptions,
  type ValueDescription,
} from './parse.ts';
export { exportInferenceModel, importInferenceModel, type ImportedModel } from './interchange.ts';
export { DEFAULT_FORMULATIONS, withFormulations, type Formulations } from './formulations.ts';
export { setVariant, variants } from './variants.ts';
