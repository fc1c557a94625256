import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../../src/runtime/backends';
import { crossCheck } from '../../../src/runtime/crosscheck';
import {
  checksOf,
  initialEngine,
  initialRows,
  reduceEngine,
} from '../../../src/widgets/engine-check/state';

const statuses: BackendStatus[] = [
  { name: 'webgpu', available: false, recommended: false, reason: 'no adapter' },
  { name: 'wasm', available: true, recommended: true },
  { name: 'reference', available: true, recommended: true },
];

describe('engine self-check state', () => {
  it('the case has every attribute on; its reference output is [1, 4, 7, 9]', () => {
    const s = initialEngine();
    // H' = floor((12 + 1 + 2 − 3) / 2) + 1 = 7; W' (dilated kernel 2·2 + 1 = 5) = (12 + 0 + 1 − 5) / 1 + 1 = 9
    expect(s.reference.shape).toEqual([1, 4, 7, 9]);
    expect(s.finished).toBe(false);
  });
  it('rows: ORT backends only; one that cannot run is skipped with its reason', () => {
    expect(initialRows(statuses, 'wasm')).toEqual([
      { backend: 'webgpu', status: 'skipped', message: 'no adapter' },
      { backend: 'wasm', status: 'pending', message: 'ready' },
    ]);
  });
  it('rows: the chosen backend runs at once; another available one waits until asked', () => {
    const both: BackendStatus[] = [
      { name: 'webgpu', available: true, recommended: false, reason: 'a software adapter' },
      { name: 'wasm', available: true, recommended: true },
    ];
    expect(initialRows(both, 'wasm').map((r) => r.status)).toEqual(['waiting', 'pending']);
    let s = reduceEngine(initialEngine(), { kind: 'probed', statuses: both, chosen: 'wasm' });
    s = reduceEngine(s, { kind: 'finished' });
    s = reduceEngine(s, { kind: 'ask', index: 0 });
    expect(s.rows.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(s.finished).toBe(false);
    // Asking for a row that is not waiting changes nothing.
    expect(reduceEngine(s, { kind: 'ask', index: 1 })).toBe(s);
  });
  it('reduceEngine: probed → rows; a row replaced by index; finished', () => {
    let s = reduceEngine(initialEngine(), { kind: 'probed', statuses, chosen: 'wasm' });
    expect(s.rows.map((r) => r.status)).toEqual(['skipped', 'pending']);
    const check = crossCheck('wasm', [1], [1]);
    s = reduceEngine(s, {
      kind: 'row',
      index: 1,
      row: { backend: 'wasm', status: 'done', message: 'output 1×4×7×10', check, ms: 2 },
    });
    expect(s.rows[0].status).toBe('skipped');
    expect(checksOf(s)).toEqual([check]);
    expect(reduceEngine(s, { kind: 'finished' }).finished).toBe(true);
  });
});
