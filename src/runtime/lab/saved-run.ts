/**
 * What a saved run must be before the lab trusts it. A reader's browser keeps runs from older
 * versions of the site, interrupted saves and hand-edited storage; each is answered with one
 * sentence that says what is wrong, never with an exception thrown at a widget.
 *
 * Two layers: a schema (zod/mini: the types, ranges and finiteness of every field of the record's
 * config and progress), then the engine's own checks (the network's geometry, which tensors its
 * parameters need, and whether the weights are numbers at all).
 */
import * as z from 'zod/mini';
import { outputShapes, paramShapes } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';
import { checkOwn } from './lab-own';
import type { LabConfig, LabProgress } from './protocol';
import { LR_SCHEDULES } from './schedule';

const finite = z.number().check(z.refine(Number.isFinite, 'must be a finite number'));
// the range first: 1e308 is past 1000 (an integer, but not a safe one) before anything else
const whole = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max), z.int());
const positive = finite.check(z.gt(0));
const nonNegative = finite.check(z.gte(0));

const PRESETS = ['tutorial', 'small', 'large', 'scenes', 'own'] as const;
const TASKS = ['classify', 'segment', 'own'] as const;
const BACKENDS = ['webgpu', 'wasm', 'reference'] as const;

const network = z.object({
  name: z.string(),
  inputShape: z.tuple([whole(1, 64), whole(1, 512), whole(1, 512)]),
  // each layer's fields are checked by the engine's shape rules below, which know every type
  layers: z.array(z.looseObject({ type: z.string() })).check(z.minLength(1)),
  // lesson 12's detection head (src/cnn/ops/detectionLoss.ts); its channels are checked by the task
  head: z.optional(
    z.object({
      type: z.literal('detect'),
      classes: whole(2, 64),
      centreWeight: nonNegative,
      boxWeight: nonNegative,
      centreRadius: z.optional(whole(0, 4)),
    }),
  ),
});

const optimizer = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('sgd'),
    lr: positive,
    momentum: z.optional(nonNegative.check(z.lt(1))),
    weightDecay: z.optional(nonNegative),
  }),
  z.object({
    type: z.literal('adam'),
    lr: positive,
    beta1: z.optional(nonNegative.check(z.lt(1))),
    beta2: z.optional(nonNegative.check(z.lt(1))),
    epsilon: z.optional(positive),
    weightDecay: z.optional(nonNegative),
  }),
]);

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be bytes');
/** Task 'own': the reader's examples (their counts and labels are checked by checkOwn). */
const own = z.object({
  classes: z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(16)),
  images: bytes,
  labels: bytes,
});

const config = z.object({
  preset: z.enum(PRESETS, {
    error: `is not a network this version of ConvBook knows (${PRESETS.join(', ')})`,
  }),
  network,
  optimizer,
  lrDecay: positive.check(z.lte(1)),
  // added later: runs saved before it lack it and keep their per-epoch decay
  lrSchedule: z.optional(
    z.enum(LR_SCHEDULES, { error: `is not a schedule (${LR_SCHEDULES.join(', ')})` }),
  ),
  batchSize: whole(1, 8192),
  epochs: whole(1, 1000),
  backend: z.enum(BACKENDS, { error: `is not a backend (${BACKENDS.join(', ')})` }),
  augmentation: z.object({ shift: nonNegative, rotate: nonNegative, scale: nonNegative }),
  trainSubset: z.optional(whole(1, 1_000_000)),
  seed: whole(0, 2 ** 32),
  task: z.optional(z.enum(TASKS, { error: `is not a task (${TASKS.join(', ')})` })),
  own: z.optional(own),
  imported: z.optional(z.boolean()),
});

const historyPoint = z.object({
  step: whole(0, 1e9),
  epoch: nonNegative,
  trainLoss: z.number(), // NaN is a real outcome of a diverged step: kept, drawn as a gap
  trainAccuracy: z.number(),
  testAccuracy: z.optional(z.number()),
  testLoss: z.optional(z.number()),
  // added later: runs saved before it lack it and still load
  cleanTrainAccuracy: z.optional(z.number()),
  seconds: nonNegative,
});

const progress = z.object({
  epoch: whole(0, 1000),
  step: whole(0, 1e9),
  stepsPerEpoch: whole(1, 1e9),
  totalSteps: whole(1, 1e12),
  seconds: nonNegative,
  history: z.array(historyPoint),
});

/** A value as a notice names it: `1e+308`, `"abc"`, `a list`, `an object`, `missing`. */
function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}…` : v);
  return String(v);
}

/** zod's expected types as a sentence names them. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  int: 'a whole number',
};

/** The value a discriminated union's issue is about: the record's discriminator, not the record. */
function picked(issue: { readonly input?: unknown; readonly discriminator?: unknown }): unknown {
  const { input, discriminator } = issue;
  return typeof discriminator === 'string' && input !== null && typeof input === 'object'
    ? (input as Record<string, unknown>)[discriminator]
    : input;
}

/**
 * Zod's issues in the notices' words. zod/mini carries no messages of its own (every issue would
 * read "Invalid input"); the messages a schema sets itself (the enums' above) come first.
 */
const say: z.core.$ZodErrorMap = (issue) => {
  const got = shown(issue.input);
  const count = (n: number | bigint) =>
    `${n} ${issue.origin === 'array' ? (Number(n) === 1 ? 'entry' : 'entries') : Number(n) === 1 ? 'character' : 'characters'}`;
  const counted = issue.origin === 'array' || issue.origin === 'string';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`}, not ${got}`;
    case 'too_big':
      return counted
        ? `must have at most ${count(issue.maximum)}`
        : `must be at most ${issue.maximum}, not ${got}`;
    case 'too_small':
      return counted
        ? `must have at least ${count(issue.minimum)}`
        : `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}, not ${got}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => shown(v)).join(' or ')}, not ${got}`;
    case 'invalid_union':
      // a discriminated union names its options (the optimiser's type: sgd or adam)
      return 'options' in issue && Array.isArray(issue.options) && issue.options.length > 0
        ? `must be ${issue.options.map((v: unknown) => shown(v)).join(' or ')}, not ${shown(picked(issue))}`
        : undefined;
    default:
      return undefined;
  }
};

/** "config.optimizer.lr: must be a finite number" — the first problem, where it is. */
function firstIssue(error: z.core.$ZodError, root: string): string {
  const issue = error.issues[0];
  return `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`;
}

/** The saved run's config and progress, or a RangeError saying what is wrong with them. */
export function parseSavedRun(value: { config?: unknown; progress?: unknown }): {
  config: LabConfig;
  progress: LabProgress;
} {
  const c = config.safeParse(value.config, { error: say });
  if (!c.success) throw new RangeError(`saved run: ${firstIssue(c.error, 'config')}`);
  const p = progress.safeParse(value.progress, { error: say });
  if (!p.success) throw new RangeError(`saved run: ${firstIssue(p.error, 'progress')}`);
  if (p.data.epoch > c.data.epochs)
    throw new RangeError(
      `saved run: progress.epoch ${p.data.epoch} is past its ${c.data.epochs} epochs`,
    );
  // The engine's shape rules check every layer's fields and the geometry they add up to.
  const net = c.data.network as unknown as NetworkSpec;
  try {
    outputShapes(net);
  } catch (error) {
    throw new RangeError(`saved run: its network is not valid (${(error as Error).message})`);
  }
  if (c.data.task === 'segment' && net.head === undefined)
    throw new RangeError(
      'saved run: it is lesson 12’s older segmenter, from before the detection head (its boxes were read off the segmentation); train again',
    );
  if (c.data.task === 'own')
    try {
      checkOwn(c.data as unknown as LabConfig);
    } catch (error) {
      throw new RangeError(`saved run: ${(error as Error).message}`);
    }
  return { config: c.data as unknown as LabConfig, progress: p.data };
}

export type RunProblem =
  | { readonly kind: 'ok' }
  | { readonly kind: 'diverged'; readonly message: string }
  | { readonly kind: 'mismatch'; readonly message: string };

/**
 * Whether the saved tensors are the network's parameters (every one present, with its shape) and
 * are numbers. Weights with NaN or ∞ mean the run diverged: nothing computed from them means
 * anything, so widgets say so instead of drawing (or throwing on) garbage.
 */
export function checkRunWeights(
  network: NetworkSpec,
  state: Readonly<
    Record<string, { readonly dims: readonly number[]; readonly data: Float32Array }>
  >,
): RunProblem {
  for (const { name, shape } of paramShapes(network)) {
    const t = state[name];
    if (!t) return { kind: 'mismatch', message: `its parameter ${name} is missing` };
    if (t.dims.length !== shape.length || t.dims.some((d, i) => d !== shape[i]))
      return {
        kind: 'mismatch',
        message: `its parameter ${name} has shape [${t.dims.join(', ')}], the network needs [${shape.join(', ')}]`,
      };
    for (const v of t.data)
      if (!Number.isFinite(v))
        return {
          kind: 'diverged',
          message: `its weights are not numbers (${name} holds ${v}): the run diverged, so nothing it computes means anything`,
        };
  }
  return { kind: 'ok' };
}
