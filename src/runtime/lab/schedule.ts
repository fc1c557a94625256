/**
 * Learning-rate schedules and the scalar inputs of a training step, pure. The learning rate is a
 * graph input, so changing it never rebuilds the graph. Two shapes: 'decay', lr₀ · decayᵉᵖᵒᶜʰ
 * (a step down after every epoch), and 'linear', falling every step from lr₀ towards 0 at the
 * run's end — on lesson 9's net it reaches a given test accuracy in fewer training images
 * (docs/benchmarks.md, "Time to accuracy").
 */
import type { OptimizerSpec } from '../../cnn/index';
import { optimizerScalars } from '../../onnx/index';
import type { LrSchedule } from './protocol';

/** Every schedule, for messages and saved-run.ts's schema. */
export const LR_SCHEDULES = ['decay', 'linear'] as const satisfies readonly LrSchedule[];

/** What a schedule reads from a run's config (LabConfig). */
export interface ScheduleConfig {
  readonly optimizer: { readonly lr: number };
  readonly lrDecay: number;
  /** Undefined: 'decay', the only shape before schedules could be chosen (older saved runs). */
  readonly lrSchedule?: LrSchedule;
  readonly epochs: number;
}

function checkBase(base: number): void {
  if (!(base > 0) || !Number.isFinite(base))
    throw new RangeError(`lr must be a positive number, got ${base}`);
}

/** The learning rate during (0-based) epoch `epoch`. */
export function learningRate(base: number, decay: number, epoch: number): number {
  checkBase(base);
  if (!(decay > 0 && decay <= 1)) throw new RangeError(`lrDecay must be in (0, 1], got ${decay}`);
  return base * decay ** epoch;
}

/**
 * The 'linear' schedule's learning rate at (0-based) step `step` of `total`: lr₀ · (1 − step/total),
 * so the last step still moves (lr₀/total) and no step has a rate of 0.
 */
export function linearLearningRate(base: number, step: number, total: number): number {
  checkBase(base);
  if (!Number.isInteger(total) || total < 1)
    throw new RangeError(`total steps must be a positive whole number, got ${total}`);
  const t = Math.min(Math.max(step, 0), total - 1);
  return (base * (total - t)) / total;
}

/**
 * The learning rate of (0-based) global step `step` of run `c` with `stepsPerEpoch` steps an
 * epoch. Steps past the run's end keep its last rate.
 */
export function scheduledLearningRate(
  c: ScheduleConfig,
  step: number,
  stepsPerEpoch: number,
): number {
  const schedule = c.lrSchedule ?? 'decay';
  if (schedule === 'linear')
    return linearLearningRate(c.optimizer.lr, step, c.epochs * stepsPerEpoch);
  if (schedule !== 'decay')
    throw new RangeError(
      `lrSchedule must be one of ${LR_SCHEDULES.join(', ')}, got ${String(schedule)}`,
    );
  const epoch = Math.min(Math.floor(step / stepsPerEpoch), c.epochs - 1);
  return learningRate(c.optimizer.lr, c.lrDecay, epoch);
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
