/**
 * Loading a network back (issue 14): an .onnx that ConvBook exported becomes a run's config and
 * state again — the importer's network, checked against what the lab trains (its input, its
 * number of classes), with the model's weights in place of the seed's. Pure.
 */
import { importInferenceModel } from '../../onnx/index';
import { initialState } from './engines';
import type { State } from './engines';
import { classesOf } from './lab-own';
import type { LabConfig } from './protocol';

/**
 * An exported .onnx as a run: `config` with the model's network, and the seed's state with the
 * model's weights in place (optimiser slots start fresh). Throws the importer's OnnxModelError,
 * or a RangeError when the model does not fit what `config` trains.
 */
export function importedRun(
  bytes: Uint8Array,
  config: LabConfig,
): { config: LabConfig; state: State } {
  const { spec, params } = importInferenceModel(bytes, `imported ${config.network.name}`);
  const want = config.network.inputShape.join(' × ');
  if (spec.inputShape.join(' × ') !== want)
    throw new RangeError(
      `it takes ${spec.inputShape.join(' × ')} images; this lab trains on ${want} images`,
    );
  const have = classesOf(spec);
  const need = classesOf(config.network);
  if (have !== need)
    throw new RangeError(`it scores ${have} classes; this lab's network scores ${need}`);
  const run = { ...config, network: spec, imported: true };
  const state = initialState(spec, config.optimizer, config.seed);
  for (const [name, t] of Object.entries(params))
    state[name] = { dims: [...t.shape], data: t.data };
  return { config: run, state };
}
