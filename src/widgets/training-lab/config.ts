/**
 * The training lab's settings, declared once with the shared field schema (shared/fields.ts): each
 * field's link key (`lab.lr`, `lab.epochs`…, also the control's name), label, bounds and message;
 * validation of the form as typed (plus the one rule that reads two fields), the link round trip,
 * and the LabConfig sent to the lab worker. Pure; no DOM.
 */
import type { OptimizerSpec } from '../../cnn/index.ts';
import type { BackendName } from '../../runtime/crosscheck';
import type {
  ClassifierPreset as PresetName,
  LabConfig,
  LrSchedule,
} from '../../runtime/lab/protocol';
import { choice, fieldParams, readFields } from '../shared/fields';
import type { Field, Parsed, Values } from '../shared/fields';
import { PRESET_NAMES, PRESETS } from './presets';

export type OptimizerName = 'sgd' | 'momentum' | 'adam';
export type BackendChoice = 'auto' | BackendName;

/** Valid settings. */
export interface LabSettings {
  readonly preset: PresetName;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly lrDecay: number;
  readonly lrSchedule: LrSchedule;
  readonly batchSize: number;
  readonly epochs: number;
  readonly shift: number;
  readonly rotate: number;
  readonly scale: number;
  readonly weightDecay: number;
  /** undefined = all 8,000 training digits. */
  readonly trainSubset: number | undefined;
  readonly backend: BackendChoice;
  readonly seed: number;
}
export type SettingName = keyof LabSettings;

/** The form as the reader left it: every field a string, exactly as typed. */
export type LabForm = Record<SettingName, string>;

/**
 * Lesson 9's defaults, chosen for the fewest training images to 98.5% test accuracy
 * (bench/ort/schedule-search.ts; docs/benchmarks.md, "Time to accuracy"): the learning rate
 * falling linearly to 0 over 8 epochs (64,000 images) reached 98.65% with seed 1, where the
 * earlier × 0.87 per epoch over 10 epochs peaked at 98.45% (98.5% only at epoch 12).
 */
export const DEFAULT_SETTINGS: LabSettings = {
  preset: 'tutorial',
  optimizer: 'momentum',
  lr: 0.05,
  lrDecay: 0.87,
  lrSchedule: 'linear',
  batchSize: 64,
  epochs: 8,
  shift: 2,
  rotate: 0,
  scale: 0,
  weightDecay: 0,
  trainSubset: undefined,
  backend: 'auto',
  seed: 1,
};

/**
 * Lesson 10's defaults: 500 training digits, no augmentation, long enough to overfit, with the
 * slow per-epoch decay its runs were written for.
 */
export const OVERFIT_SETTINGS: LabSettings = {
  ...DEFAULT_SETTINGS,
  lrDecay: 0.95,
  lrSchedule: 'decay',
  epochs: 30,
  shift: 0,
  trainSubset: 500,
};

export interface NumberRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** The lower bound itself is not allowed (e.g. a learning rate of 0). */
  readonly minExclusive?: boolean;
  readonly why?: string;
}

export const RULES = {
  lr: {
    name: 'learning rate',
    min: 0,
    max: 100,
    minExclusive: true,
    why: 'a step of 0 never learns',
  },
  lrDecay: {
    name: 'lr decay per epoch',
    min: 0,
    max: 1,
    minExclusive: true,
    why: '1 keeps it constant; the linear schedule ignores it',
  },
  batchSize: { name: 'batch size', min: 1, max: 512, integer: true },
  epochs: { name: 'epochs', min: 1, max: 100, integer: true },
  shift: { name: 'shift', min: 0, max: 4, integer: true, why: 'pixels' },
  rotate: { name: 'rotation', min: 0, max: 30, why: 'degrees' },
  scale: { name: 'scale', min: 0, max: 0.3, why: 'a fraction: 0.1 = ±10%' },
  weightDecay: { name: 'weight decay', min: 0, max: 0.1 },
  trainSubset: { name: 'training digits', min: 10, max: 8000, integer: true },
  seed: { name: 'seed', min: 0, max: 2 ** 31 - 1, integer: true },
} as const satisfies Partial<Record<SettingName, NumberRule>>;

/** A number field: a message naming the field, the value and the rule, or the value. */
export function parseNumber(raw: string, rule: NumberRule): { value: number } | { error: string } {
  const text = raw.trim();
  const v = Number(text);
  if (text === '' || !Number.isFinite(v))
    return { error: `${rule.name}: "${raw}" is not a number.` };
  if (rule.integer && !Number.isInteger(v))
    return { error: `${rule.name} must be a whole number, got ${text}.` };
  const low = rule.minExclusive ? v <= rule.min : v < rule.min;
  if (low || v > rule.max) {
    const range = rule.minExclusive
      ? `greater than ${rule.min} and at most ${rule.max}`
      : `between ${rule.min} and ${rule.max}`;
    return {
      error: `${rule.name} must be ${range}${rule.why ? ` (${rule.why})` : ''}, got ${text}.`,
    };
  }
  return { value: v };
}

const fromRule = (r: { value: number } | { error: string }): Parsed<number> =>
  'error' in r ? { ok: false, error: r.error } : { ok: true, value: r.value };

/** A number setting as a shared `Field`: the lab's rules (exclusive bounds, why) and messages. */
function numberField(key: keyof typeof RULES, initial: number): Field<number> {
  const rule: NumberRule = RULES[key];
  return {
    key,
    label: rule.name,
    initial,
    parse: (raw) => fromRule(parseNumber(raw, rule)),
    format: (v) => String(v),
  };
}

/** The training digits: empty means all of them. */
function subsetField(initial: number | undefined): Field<number | undefined> {
  return {
    key: 'trainSubset',
    label: RULES.trainSubset.name,
    initial,
    parse: (raw) =>
      raw.trim() === ''
        ? { ok: true, value: undefined }
        : fromRule(parseNumber(raw, RULES.trainSubset)),
    format: (v) => (v === undefined ? '' : String(v)),
  };
}

const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];
const SCHEDULES: readonly LrSchedule[] = ['linear', 'decay'];
const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'reference'];

/** Every setting, with `defaults` as its first value (lesson 9's or lesson 10's). */
export function labFields(defaults: LabSettings) {
  return {
    preset: choice<PresetName>('preset', 'network', PRESET_NAMES, defaults.preset),
    optimizer: choice<OptimizerName>('optimizer', 'optimiser', OPTIMIZERS, defaults.optimizer),
    lr: numberField('lr', defaults.lr),
    lrDecay: numberField('lrDecay', defaults.lrDecay),
    lrSchedule: choice<LrSchedule>('lrSchedule', 'lr schedule', SCHEDULES, defaults.lrSchedule),
    batchSize: numberField('batchSize', defaults.batchSize),
    epochs: numberField('epochs', defaults.epochs),
    shift: numberField('shift', defaults.shift),
    rotate: numberField('rotate', defaults.rotate),
    scale: numberField('scale', defaults.scale),
    weightDecay: numberField('weightDecay', defaults.weightDecay),
    trainSubset: subsetField(defaults.trainSubset),
    backend: choice<BackendChoice>('backend', 'backend', BACKENDS, defaults.backend),
    seed: numberField('seed', defaults.seed),
  } as const satisfies Record<SettingName, Field<unknown>>;
}
export type LabFields = ReturnType<typeof labFields>;
export const FIELDS = labFields(DEFAULT_SETTINGS);
export const SETTING_NAMES = Object.keys(FIELDS) as SettingName[];

export function settingsToForm(s: LabSettings): LabForm {
  const out = {} as LabForm;
  for (const name of SETTING_NAMES) out[name] = (FIELDS[name] as Field<unknown>).format(s[name]);
  return out;
}

/** The rule that reads two fields; undefined when it holds. */
function batchRule(s: Pick<LabSettings, 'batchSize' | 'trainSubset'>): string | undefined {
  return s.trainSubset !== undefined && s.batchSize > s.trainSubset
    ? `batch size (${s.batchSize}) cannot exceed the ${s.trainSubset} training digits.`
    : undefined;
}

export type Validation =
  | { readonly ok: true; readonly settings: LabSettings }
  | { readonly ok: false; readonly errors: Partial<Record<SettingName, string>> };

/** Every field checked; the run may start only when `ok`. */
export function validateForm(form: LabForm): Validation {
  const errors: Partial<Record<SettingName, string>> = {};
  const values: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const r = (FIELDS[name] as Field<unknown>).parse(form[name]);
    if (r.ok) values[name] = r.value;
    else errors[name] = r.error;
  }
  const settings = values as unknown as LabSettings;
  if (!errors.batchSize && !errors.trainSubset) {
    const cross = batchRule(settings);
    if (cross) errors.batchSize = cross;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings };
}

export function optimizerSpec(s: LabSettings): OptimizerSpec {
  const weightDecay = s.weightDecay;
  if (s.optimizer === 'adam') return { type: 'adam', lr: s.lr, weightDecay };
  return { type: 'sgd', lr: s.lr, momentum: s.optimizer === 'momentum' ? 0.9 : 0, weightDecay };
}

/** What the lab worker gets; `backend` is the one resolved from 'auto' by the page. */
export function toLabConfig(s: LabSettings, backend: BackendName): LabConfig {
  return {
    preset: s.preset,
    network: PRESETS[s.preset].network,
    optimizer: optimizerSpec(s),
    lrDecay: s.lrDecay,
    lrSchedule: s.lrSchedule,
    batchSize: s.batchSize,
    epochs: s.epochs,
    backend,
    augmentation: { shift: s.shift, rotate: s.rotate, scale: s.scale },
    ...(s.trainSubset === undefined ? {} : { trainSubset: s.trainSubset }),
    seed: s.seed,
  };
}

/** A saved run's config back into the form (the reader sees what is resuming). */
export function configToSettings(c: LabConfig, backendChoice: BackendChoice): LabSettings {
  const o = c.optimizer;
  // Lesson 12's scene runs and lesson 15's own-class runs save to their own slots, so the
  // training lab never restores one.
  if (c.preset === 'scenes' || c.preset === 'own')
    throw new RangeError(`a ${c.preset} run cannot be shown in the training lab`);
  return {
    preset: c.preset,
    optimizer: o.type === 'adam' ? 'adam' : (o.momentum ?? 0) > 0 ? 'momentum' : 'sgd',
    lr: o.lr,
    lrDecay: c.lrDecay,
    lrSchedule: c.lrSchedule ?? 'decay',
    batchSize: c.batchSize,
    epochs: c.epochs,
    shift: c.augmentation.shift,
    rotate: c.augmentation.rotate,
    scale: c.augmentation.scale,
    weightDecay: o.weightDecay ?? 0,
    trainSubset: c.trainSubset,
    backend: backendChoice,
    seed: c.seed,
  };
}

/**
 * Settings from the link (`lab.lr=0.1&lab.epochs=6…`), over `defaults`. Anything invalid is
 * dropped for its default with the shared note naming it; never throws.
 */
export function parseLabParams(
  params: ReadonlyMap<string, string>,
  defaults: LabSettings,
): { settings: LabSettings; notes: string[] } {
  const fields = labFields(defaults);
  // Links from before schedules could be chosen set lrDecay alone: that decay is what they meant.
  const base: LabSettings =
    params.has('lrDecay') && !params.has('lrSchedule')
      ? { ...defaults, lrSchedule: 'decay' }
      : defaults;
  const clipped = new Map<string, string>();
  for (const [k, v] of params) if (typeof v === 'string') clipped.set(k, v.slice(0, 40));
  const { values, notes } = readFields(fields, clipped, { ...base } as Values<LabFields>);
  const settings: LabSettings = values;
  const cross = batchRule(settings);
  if (!cross) return { settings, notes };
  notes.push(`From the link: ${cross} Using ${defaults.batchSize}.`);
  const fixed = { ...settings, batchSize: defaults.batchSize };
  return batchRule(fixed) ? { settings: defaults, notes } : { settings: fixed, notes };
}

/** The link's parameters: only settings that differ from `defaults`, never the backend. */
export function settingsToParams(
  s: LabSettings,
  defaults: LabSettings,
): Record<string, string | undefined> {
  const out = fieldParams(labFields(defaults), s as Values<LabFields>);
  delete out.backend;
  // A link with lrDecay alone reads as the decay schedule (parseLabParams), so name the schedule.
  if (out.lrDecay !== undefined) out.lrSchedule = s.lrSchedule;
  return out;
}

/** "Tutorial net · momentum lr 0.05 → 0 linearly · batch 64 · shift ±2 px · 500 digits" */
export function settingsLabel(s: LabSettings): string {
  const opt = { sgd: 'SGD', momentum: 'momentum', adam: 'Adam' }[s.optimizer];
  const aug = [
    s.shift > 0 ? `shift ±${s.shift} px` : '',
    s.rotate > 0 ? `rotate ±${s.rotate}°` : '',
    s.scale > 0 ? `scale ±${Math.round(s.scale * 100)}%` : '',
  ].filter(Boolean);
  return [
    PRESETS[s.preset].label,
    `${opt} lr ${s.lr}${s.lrSchedule === 'linear' ? ' → 0 linearly' : s.lrDecay !== 1 ? ` ×${s.lrDecay}/epoch` : ''}`,
    `batch ${s.batchSize}`,
    aug.length ? aug.join(', ') : 'no augmentation',
    s.weightDecay > 0 ? `weight decay ${s.weightDecay}` : '',
    s.trainSubset === undefined ? 'all 8,000 digits' : `${s.trainSubset} digits`,
  ]
    .filter(Boolean)
    .join(' · ');
}
