import { heNormal } from '../init.ts';
import { createRng } from '../random.ts';
import { shapeToString, zeros } from '../tensor.ts';
import type { Tensor } from '../tensor.ts';
import { layerShapes } from './shapes.ts';
import type { NetworkSpec } from './spec.ts';

/** Parameters by name: `${layerIndex}.kernel`, `${layerIndex}.bias`, `${layerIndex}.weight`. */
export type Params = Record<string, Tensor>;

/** Every parameter of the network, in layer order (kernel/weight before bias). */
export function paramShapes(spec: NetworkSpec): { name: string; shape: number[] }[] {
  return paramRules(spec).map(({ name, shape }) => ({ name, shape }));
}

/** Every parameter with its initialisation rule (from its layer's record). */
function paramRules(spec: NetworkSpec) {
  return layerShapes(spec).params.flatMap((rules, i) =>
    rules.map((r) => ({ name: `${i}.${r.role}`, shape: r.shape, init: r.init })),
  );
}

export function paramNames(spec: NetworkSpec): string[] {
  return paramShapes(spec).map((p) => p.name);
}

/**
 * Fresh parameters, as each layer's record says: He-normal kernels and weights (fan-in = inputs
 * per output unit), zero biases. One RNG, seeded once, is drawn in the order of paramShapes, so a
 * seed fixes every value.
 */
export function initParams(spec: NetworkSpec, seed: number): Params {
  const rng = createRng(seed);
  const params: Params = {};
  for (const { name, shape, init } of paramRules(spec)) {
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    params[name] = init === 'zeros' ? zeros(shape) : heNormal(shape, fanIn, rng);
  }
  return params;
}

/** Throws if a parameter is missing or has the wrong shape, naming it and both shapes. */
export function checkParams(spec: NetworkSpec, params: Params, what = 'params'): void {
  for (const { name, shape } of paramShapes(spec)) {
    const p = params[name];
    if (!p)
      throw new RangeError(
        `${what}: missing ${name} (shape ${shapeToString(shape)}) for ${spec.name}`,
      );
    if (p.shape.length !== shape.length || p.shape.some((d, k) => d !== shape[k])) {
      throw new RangeError(
        `${what}: ${name} has shape ${shapeToString(p.shape)} but ${spec.name} needs ${shapeToString(shape)}`,
      );
    }
  }
}
