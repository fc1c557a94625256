import { heNormal } from '../init.ts';
import { createRng } from '../random.ts';
import { shapeToString, zeros, type Tensor } from '../tensor.ts';
import { layerOutputShape, layerParamShapes } from './shapes.ts';
import type { NetworkSpec } from './spec.ts';

/** Parameters by name: `${layerIndex}.kernel`, `${layerIndex}.bias`, `${layerIndex}.weight`. */
export type Params = Record<string, Tensor>;

/** Every parameter of the network, in layer order (kernel/weight before bias). */
export function paramShapes(spec: NetworkSpec): { name: string; shape: number[] }[] {
  const result: { name: string; shape: number[] }[] = [];
  let shape: number[] = [1, ...spec.inputShape];
  spec.layers.forEach((layer, i) => {
    for (const { role, shape: s } of layerParamShapes(layer, shape)) {
      result.push({ name: `${i}.${role}`, shape: s });
    }
    shape = layerOutputShape(i, layer, shape);
  });
  return result;
}

export function paramNames(spec: NetworkSpec): string[] {
  return paramShapes(spec).map((p) => p.name);
}

/**
 * Fresh parameters: He-normal kernels and weights (fan-in = inputs per output unit), zero biases.
 * One RNG, seeded once, is drawn in the order of paramShapes, so a seed fixes every value.
 */
export function initParams(spec: NetworkSpec, seed: number): Params {
  const rng = createRng(seed);
  const params: Params = {};
  for (const { name, shape } of paramShapes(spec)) {
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    params[name] = name.endsWith('.bias') ? zeros(shape) : heNormal(shape, fanIn, rng);
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
