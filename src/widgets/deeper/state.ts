/**
 * Lesson 14's figure, as state: the settings of the run (declared once with fields.ts: link,
 * labels, messages), the reader's text that could not be used, and which step the gradient
 * readout shows. The run itself is the compute step's result (a worker trains both networks);
 * a setting that does not change the run (the step shown) does not retrain.
 */
import { choice, decimal, fieldParams, flag, integer, readFields } from '../shared/fields';
import type { Values } from '../shared/fields';
import { ACTIVATIONS } from './nets';
import type { Activation } from './nets';
import type { RunSettings } from './train';

export const FIELDS = {
  depth: integer('depth', 'convolutions in the stack', {
    min: 2,
    max: 16,
    initial: 10,
    why: 'an even number: two per block',
  }),
  activation: choice<Activation>('act', 'activation', ACTIVATIONS, 'relu'),
  scale: decimal('scale', 'initial weight scale (× He)', { min: 0.1, max: 2, initial: 0.5 }),
  skips: flag('skips', 'skip connections in the second network', true),
  steps: integer('steps', 'training steps', { min: 5, max: 80, initial: 40 }),
} as const;
export type FieldName = keyof typeof FIELDS;

/** Fixed for every run: what the bench and the tests use too. */
export const FIXED = { lr: 0.05, batch: 16, seed: 1 } as const;

export interface DeeperState {
  readonly settings: DeeperSettings;
  readonly errors: Readonly<Partial<Record<FieldName, string>>>;
  /** The step whose gradients the bars show (0-based; clamped to the steps taken). */
  readonly at: number;
}
export type DeeperSettings = Readonly<Values<typeof FIELDS>>;

export type DeeperAction =
  | { readonly kind: 'edit'; readonly field: FieldName; readonly raw: string }
  | { readonly kind: 'at'; readonly step: number };

export const runSettings = (s: DeeperSettings): RunSettings => ({ ...s, ...FIXED });
/** Same key ⇒ same run. */
export const runKey = (s: DeeperSettings): string => JSON.stringify(runSettings(s));

/** An odd depth is rounded to the even number below, and said so. */
function parseField(field: FieldName, raw: string) {
  const r = FIELDS[field].parse(raw);
  if (field === 'depth' && r.ok && (r.value as number) % 2 !== 0)
    return {
      ok: false as const,
      error: `convolutions in the stack must be even (two per block), got ${raw.trim()}.`,
    };
  return r;
}

export function reduceDeeper(s: DeeperState, a: DeeperAction): DeeperState {
  if (a.kind === 'at') {
    const step = Math.max(0, Math.min(s.settings.steps - 1, Math.round(a.step)));
    return step === s.at ? s : { ...s, at: step };
  }
  const r = parseField(a.field, a.raw);
  const errors = { ...s.errors };
  if (!r.ok) {
    errors[a.field] = `${r.error} The figure is for the last valid value.`;
    return { ...s, errors };
  }
  delete errors[a.field];
  const settings = { ...s.settings, [a.field]: r.value };
  return { settings, errors, at: Math.min(s.at, settings.steps - 1) };
}

export function initialState(settings: DeeperSettings): DeeperState {
  return { settings, errors: {}, at: 0 };
}

/** The link: every setting that differs from its default, and the step shown. */
export function deeperParams(s: DeeperState): Record<string, string | undefined> {
  return { ...fieldParams(FIELDS, s.settings), at: s.at ? String(s.at) : undefined };
}

/** The state a link describes; a bad value keeps its default, with a note. */
export function stateFromParams(params: ReadonlyMap<string, string>): {
  state: DeeperState;
  notes: string[];
} {
  const { values, notes } = readFields(FIELDS, params);
  let settings: DeeperSettings = values;
  if (settings.depth % 2 !== 0) {
    notes.push(
      `From the link: convolutions in the stack must be even; using ${settings.depth - 1}.`,
    );
    settings = { ...settings, depth: settings.depth - 1 };
  }
  const at = Number(params.get('at') ?? 0);
  const state = initialState(settings);
  return {
    state: Number.isInteger(at) ? reduceDeeper(state, { kind: 'at', step: at }) : state,
    notes,
  };
}
