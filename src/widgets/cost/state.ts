/**
 * The cost figure's state and its pure reducer. The network is a preset plus the reader's conv
 * edits; an edit that is not a valid number, or that makes the network not fit (the engine's
 * shape rules say so), is kept as the reader's text with its message, and the table stays on the
 * last network that worked. Timings arrive later from the workers, tagged with the network they
 * measured, so a stale measurement is never shown against a newer table.
 */
import { layerShapes } from '../../cnn/index';
import type { NetworkSpec } from '../../cnn/index';
import { choice, readFields } from '../shared/fields';
import {
  CONV_SETTINGS,
  PRESET_NAMES,
  convField,
  convLayers,
  convSettings,
  editedNet,
  PRESETS,
} from './nets';
import type { ConvEdit, ConvSetting, PresetName } from './nets';
import type { CompareTimings, NetTimings } from './timings';

export const PRESET_FIELD = choice('net', 'network', PRESET_NAMES, 'mnistTutorialNet');

export interface CostState {
  readonly preset: PresetName;
  /** The valid settings of every conv layer, by layer index. */
  readonly edits: Readonly<Record<number, ConvEdit>>;
  /** Per control key (`k0`, `f3`): the reader's text that could not be used, and why. */
  readonly errors: Readonly<Record<string, { readonly raw: string; readonly message: string }>>;
  /** Measurements of the network whose key they carry; `running` while one is under way. */
  readonly timing: {
    readonly status: 'idle' | 'running' | 'done' | 'error';
    readonly key?: string;
    readonly net?: NetTimings;
    readonly message?: string;
  };
  readonly compare: {
    readonly status: 'idle' | 'running' | 'done' | 'error';
    readonly result?: CompareTimings;
    readonly message?: string;
  };
}

export type CostAction =
  | { readonly kind: 'preset'; readonly raw: string }
  | {
      readonly kind: 'edit';
      readonly layer: number;
      readonly setting: ConvSetting;
      readonly raw: string;
    }
  | { readonly kind: 'timing'; readonly key: string }
  | { readonly kind: 'timed'; readonly key: string; readonly net: NetTimings }
  | { readonly kind: 'timing-failed'; readonly key: string; readonly message: string }
  | { readonly kind: 'comparing' }
  | { readonly kind: 'compared'; readonly result: CompareTimings }
  | { readonly kind: 'compare-failed'; readonly message: string };

/** The network the state describes. */
export const netOf = (s: Pick<CostState, 'preset' | 'edits'>): NetworkSpec =>
  editedNet(s.preset, s.edits);

/** Same key ⇒ same network (what counts and timings are memoised on). */
export const netKey = (spec: NetworkSpec): string => JSON.stringify(spec);

/** Every conv layer's settings as the preset has them. */
export function presetEdits(preset: PresetName): Record<number, ConvEdit> {
  const spec = PRESETS[preset];
  const edits: Record<number, ConvEdit> = {};
  for (const i of convLayers(spec)) {
    const layer = spec.layers[i]!;
    if (layer.type === 'conv2d') edits[i] = convSettings(layer);
  }
  return edits;
}

export function initialState(preset: PresetName = PRESET_FIELD.initial): CostState {
  return {
    preset,
    edits: presetEdits(preset),
    errors: {},
    timing: { status: 'idle' },
    compare: { status: 'idle' },
  };
}

/** The engine's complaint about `spec`, or undefined when every layer fits. */
function misfit(spec: NetworkSpec): string | undefined {
  try {
    layerShapes(spec, 1);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function edit(s: CostState, layer: number, setting: ConvSetting, raw: string): CostState {
  const field = convField(setting, layer);
  const current = s.edits[layer];
  if (!current) return s;
  const errors = { ...s.errors };
  const r = field.parse(raw);
  if (!r.ok) {
    errors[field.key] = { raw, message: `${r.error} The table is for the last valid network.` };
    return { ...s, errors };
  }
  const edits = { ...s.edits, [layer]: { ...current, [setting]: r.value } };
  const problem = misfit(editedNet(s.preset, edits));
  if (problem) {
    errors[field.key] = { raw, message: `${problem}. The table is for the last valid network.` };
    return { ...s, errors };
  }
  // Other fields keep their messages: their text is still on screen, and still not used.
  delete errors[field.key];
  return { ...s, edits, errors };
}

export function reduceCost(s: CostState, a: CostAction): CostState {
  switch (a.kind) {
    case 'preset': {
      const r = PRESET_FIELD.parse(a.raw);
      if (!r.ok || r.value === s.preset) return s;
      return { ...initialState(r.value), timing: s.timing, compare: s.compare };
    }
    case 'edit':
      return edit(s, a.layer, a.setting, a.raw);
    case 'timing':
      return { ...s, timing: { ...s.timing, status: 'running', key: a.key } };
    case 'timed':
      return a.key === s.timing.key
        ? { ...s, timing: { status: 'done', key: a.key, net: a.net } }
        : s;
    case 'timing-failed':
      return a.key === s.timing.key
        ? { ...s, timing: { status: 'error', key: a.key, message: a.message } }
        : s;
    case 'comparing':
      return { ...s, compare: { status: 'running' } };
    case 'compared':
      return { ...s, compare: { status: 'done', result: a.result } };
    case 'compare-failed':
      return { ...s, compare: { status: 'error', message: a.message } };
  }
}

/** The link: the preset and every conv setting that differs from it. */
export function costParams(s: CostState): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {
    net: s.preset === PRESET_FIELD.initial ? undefined : s.preset,
  };
  const base = presetEdits(s.preset);
  for (const [i, e] of Object.entries(s.edits)) {
    for (const setting of CONV_SETTINGS) {
      const same = base[Number(i)]?.[setting] === e[setting];
      out[convField(setting, Number(i)).key] = same ? undefined : String(e[setting]);
    }
  }
  return out;
}

/** The state a link describes; a bad or misfitting value is dropped with a note. */
export function stateFromParams(params: ReadonlyMap<string, string>): {
  state: CostState;
  notes: string[];
} {
  const { values, notes } = readFields({ net: PRESET_FIELD }, params);
  let state = initialState(values.net);
  for (const i of convLayers(PRESETS[state.preset])) {
    for (const setting of CONV_SETTINGS) {
      const key = convField(setting, i).key;
      const raw = params.get(key);
      if (raw === undefined) continue;
      const next = edit(state, i, setting, raw);
      const error = next.errors[key];
      if (error)
        notes.push(
          `From the link: ${error.message.replace(/ The table is.*$/, '')} Using ${state.edits[i]![setting]}.`,
        );
      else state = next;
    }
  }
  return { state, notes };
}
