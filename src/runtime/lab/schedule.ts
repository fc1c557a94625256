/**
 * Learning-rate schedule and the scalar inputs of a training step, pure. The learning rate is a
 * graph input, so decaying it never rebuilds the graph: lr(epoch) = lr₀ · decayᵉᵖᵒᶜʰ.
 */
import type { OptimizerSpec } from '../../cnn/index';
import { optimizerScalars } from '../../onnx/index';

/** The learning rate during (0-based) epoch `epoch`. */
export function learningRate(base: number, decay: number, epoch: number): number {
  if (!(base > 0) || !Number.isFinite(base))
    throw new RangeError(`lr must be a positive number, got ${base}`);
  if (!(decay > 0 && decay <= 1)) throw new RangeError(`lrDecay must be in (0, 1], got ${decay}`);
  return base * decay ** epoch;
}

/**
 * The scalar inputs of step `t` (1-based count of optimiser steps, for Adam's bias corrections)
 * at learning rate `lr`, by input name.
 */
export function stepScalars(opt: OptimizerSpec, t: number, lr: number): Record<string, number> {
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`step t must be ≥ 1, got ${t}`);
  return optimizerScalars(opt, t, lr);
}

/** Lets through at most one event per `intervalMs` (forced ones always pass and reset it). */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  constructor(private readonly intervalMs: number) {}

  ready(now: number, force = false): boolean {
    if (!force && now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}

/** Images per second over a sliding window of recent steps (training time only). */
export class Rate {
  private samples: { images: number; seconds: number }[] = [];
  constructor(private readonly windowSeconds = 3) {}

  add(images: number, seconds: number): void {
    this.samples.push({ images, seconds });
    let total = 0;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      total += this.samples[i]!.seconds;
      if (total > this.windowSeconds) {
        this.samples = this.samples.slice(i + 1);
        break;
      }
    }
  }

  get imagesPerSecond(): number {
    let images = 0;
    let seconds = 0;
    for (const s of this.samples) {
      images += s.images;
      seconds += s.seconds;
    }
    return seconds > 0 ? images / seconds : 0;
  }

  reset(): void {
    this.samples = [];
  }
}
