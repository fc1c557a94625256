/**
 * The whole-network figure's state, pure: the network it shows (the home page's trained one, or
 * the reader's from the training lab, which changes while it trains), the input (a test digit or
 * a drawing), the map the overview's keys are on, and the cell the stepper is open at. No DOM;
 * unit-tested in tests/unit/widgets/network-view.test.ts.
 */
import type { NetworkSpec, Params } from '../../cnn/index.ts';
import { clampStep } from '../shared/stepper';
import { allMaps, stagesOf } from './layout';
import type { MapRef, Stage } from './layout';

export interface Digit {
  readonly label: number;
  readonly pixels: readonly number[];
}

export interface Net {
  /** A new id for each set of weights (the lab's net changes while it trains). */
  readonly id: number;
  readonly spec: NetworkSpec;
  readonly params: Params;
  /** "trained by scripts/train-home-net.ts: 97.75% of 2,000 test digits". */
  readonly about: string;
  /** The names of the classes (lesson 15's own ones); undefined: numbered from 0. */
  readonly classes?: readonly string[];
}

export type NetPhase =
  | { readonly kind: 'looking' }
  | { readonly kind: 'none'; readonly text: string }
  | { readonly kind: 'ready'; readonly net: Net; readonly stages: readonly Stage[] };

export type Input =
  | { readonly kind: 'digit'; readonly index: number }
  | { readonly kind: 'drawn'; readonly id: number; readonly pixels: Float32Array };

/** The stepper's place: one cell of one feature map (0-based, row by row). */
export interface Open {
  readonly map: number;
  readonly cell: number;
  /** The input channel whose patch and kernel slice the stepper shows (a convolution). */
  readonly inChannel: number;
}

export interface NvState {
  readonly digits: readonly Digit[];
  readonly net: NetPhase;
  readonly input: Input;
  /** The overview's keyboard place: an index into allMaps(stages). */
  readonly focus: number;
  readonly open: Open | null;
  readonly drawMsg: string;
}

export type NvAction =
  | { readonly kind: 'net'; readonly net: NetPhase }
  | { readonly kind: 'digit'; readonly index: number }
  | { readonly kind: 'drawn'; readonly id: number; readonly pixels: Float32Array | null }
  | { readonly kind: 'focus'; readonly map: number }
  /** A click or Enter on a map: the stepper opens on that cell. */
  | { readonly kind: 'open'; readonly map: number; readonly cell: number }
  | { readonly kind: 'go'; readonly cell: number }
  | { readonly kind: 'in-channel'; readonly channel: number }
  | { readonly kind: 'close' };

export function initialState(digits: readonly Digit[], net: NetPhase = { kind: 'looking' }) {
  const s: NvState = {
    digits,
    net,
    input: { kind: 'digit', index: 0 },
    focus: 0,
    open: null,
    drawMsg: '',
  };
  return s;
}

/** The net phase for a network, with its stages (throws a clear error for a bad spec). */
export function readyNet(net: Net): NetPhase {
  return { kind: 'ready', net, stages: stagesOf(net.spec) };
}

export const mapsOf = (s: NvState): MapRef[] =>
  s.net.kind === 'ready' ? allMaps(s.net.stages) : [];

/** The stage of a map, with its size. */
export function stageOf(s: NvState, map: number) {
  if (s.net.kind !== 'ready') return undefined;
  const ref = allMaps(s.net.stages)[map];
  const stage = ref && s.net.stages[ref.stage];
  return stage?.kind === 'maps' ? { ref, stage } : undefined;
}

/** Cells of the open map (what the stepper walks). */
export function cellCount(s: NvState): number {
  const st = s.open && stageOf(s, s.open.map);
  return st ? st.stage.height * st.stage.width : 0;
}

/** Input channels of the open map's layer (a convolution's patch has one slice per channel). */
function inChannels(s: NvState, map: number): number {
  if (s.net.kind !== 'ready') return 1;
  const st = stageOf(s, map);
  if (!st) return 1;
  const prev = s.net.stages[st.ref.stage - 1];
  return prev?.kind === 'maps' ? prev.channels : 1;
}

/** What the pixels in: the chosen test digit or the drawing. */
export function pixelsOf(s: NvState): readonly number[] | Float32Array {
  return s.input.kind === 'digit' ? s.digits[s.input.index]!.pixels : s.input.pixels;
}

/** Same key ⇒ same activations: the weights and the input. */
export function inputKey(s: NvState): string {
  const net = s.net.kind === 'ready' ? s.net.net.id : s.net.kind;
  const input = s.input.kind === 'digit' ? `d${s.input.index}` : `drawn${s.input.id}`;
  return `${net}/${input}`;
}

export function reduce(s: NvState, a: NvAction): NvState {
  switch (a.kind) {
    case 'net': {
      // Same network shape: keep the reader's place (the lab's net changes while it trains).
      const same =
        a.net.kind === 'ready' &&
        s.net.kind === 'ready' &&
        JSON.stringify(a.net.net.spec) === JSON.stringify(s.net.net.spec);
      return same ? { ...s, net: a.net } : { ...s, net: a.net, focus: 0, open: null };
    }
    case 'digit': {
      const index = clampStep(a.index, s.digits.length);
      if (s.input.kind === 'digit' && s.input.index === index) return s;
      return { ...s, input: { kind: 'digit', index }, drawMsg: '' };
    }
    case 'drawn':
      if (!a.pixels)
        return {
          ...s,
          drawMsg:
            'The pad is empty: draw a digit with a mouse, finger or pen. The figure keeps its input.',
        };
      return {
        ...s,
        input: { kind: 'drawn', id: a.id, pixels: a.pixels },
        drawMsg: 'Your drawing, centred and scaled like an MNIST digit, is the input now.',
      };
    case 'focus': {
      const map = clampStep(a.map, mapsOf(s).length);
      return map === s.focus ? s : { ...s, focus: map };
    }
    case 'open': {
      const maps = mapsOf(s).length;
      if (!maps) return s;
      const map = clampStep(a.map, maps);
      const st = stageOf(s, map)!;
      const cell = clampStep(a.cell, st.stage.height * st.stage.width);
      const inChannel = s.open?.map === map ? s.open.inChannel : 0;
      return { ...s, focus: map, open: { map, cell, inChannel } };
    }
    case 'go': {
      if (!s.open) return s;
      const cell = clampStep(a.cell, cellCount(s));
      return cell === s.open.cell ? s : { ...s, open: { ...s.open, cell } };
    }
    case 'in-channel': {
      if (!s.open) return s;
      const channel = clampStep(a.channel, inChannels(s, s.open.map));
      return { ...s, open: { ...s.open, inChannel: channel } };
    }
    case 'close':
      return s.open ? { ...s, open: null } : s;
  }
}

/** "conv 8@5×5, map 3, row 4, column 7" — 0-based, as in the formulas. */
export function placeText(s: NvState): string {
  if (!s.open) return '';
  const st = stageOf(s, s.open.map);
  if (!st) return '';
  const { width } = st.stage;
  const row = Math.floor(s.open.cell / width);
  const col = s.open.cell % width;
  return `layer ${st.ref.layer} (${st.stage.label}), map ${st.ref.channel}, row ${row}, column ${col}`;
}
