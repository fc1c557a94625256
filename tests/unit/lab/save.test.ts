/**
 * The `save` command (sent by the page on pagehide / visibilitychange): a checkpoint now when the
 * run has progress the store lacks, nothing otherwise; writes never overlap, and the loop trains
 * on while one is written.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../src/runtime/lab/checkpoint';
import type { CheckpointStore } from '../../../src/runtime/lab/checkpoint';
import { Lab } from '../../../src/runtime/lab/lab';
import type { LabEvent } from '../../../src/runtime/lab/protocol';
import { host, of } from './fake-host';
import { smallConfig } from './fixtures';

/** A memory store that counts its writes, notes overlapping ones, and can hold writes back. */
function gatedStore() {
  const inner = memoryStore();
  let held = false;
  let waiting: (() => void)[] = [];
  const stats = { saves: 0, inFlight: 0, maxInFlight: 0 };
  const store: CheckpointStore = {
    async save(c) {
      stats.saves += 1;
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        while (held) await new Promise<void>((r) => waiting.push(r));
        await inner.save(c);
      } finally {
        stats.inFlight -= 1;
      }
    },
    load: () => inner.load(),
    clear: () => inner.clear(),
  };
  return {
    store,
    stats,
    hold: () => (held = true),
    release: () => {
      held = false;
      for (const r of waiting.splice(0)) r();
      waiting = [];
    },
  };
}

const stepOf = (e: Extract<LabEvent, { kind: 'progress' }>) =>
  e.progress.epoch * e.progress.stepsPerEpoch + e.progress.step;

async function waitFor(pred: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('save', () => {
  it('does nothing when idle, when already saved, or right after a restore; writes new progress once', async () => {
    const g = gatedStore();
    const a = host({ store: g.store });
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'save' });
    expect(g.stats.saves).toBe(0);
    expect(a.events).toEqual([]);

    await lab.handle({ kind: 'start', config: smallConfig({ epochs: 3 }) });
    await a.until((e) => e.kind === 'progress' && stepOf(e) >= 1);
    await lab.handle({ kind: 'pause' });
    await a.until((e) => e.kind === 'status' && e.state === 'paused');
    const paused = g.stats.saves; // pausing saves
    const at = stepOf(of(a.events, 'progress').at(-1)!);
    await lab.handle({ kind: 'save' });
    expect(g.stats.saves).toBe(paused);

    await lab.handle({ kind: 'step' });
    await lab.handle({ kind: 'save' });
    expect(g.stats.saves).toBe(paused + 1);
    expect(of(a.events, 'saved').at(-1)!.step).toBe(at + 1);
    const kept = (await g.store.load())!;
    expect(kept.optimizerSteps).toBe(at + 1);
    expect(kept.progress.epoch * kept.progress.stepsPerEpoch + kept.progress.step).toBe(at + 1);
    await lab.handle({ kind: 'save' });
    await lab.handle({ kind: 'save' });
    expect(g.stats.saves).toBe(paused + 1);

    const b = host({ store: g.store });
    const lab2 = new Lab(b.h);
    await lab2.handle({ kind: 'restore' });
    expect(of(b.events, 'restored')).toHaveLength(1);
    await lab2.handle({ kind: 'save' });
    expect(g.stats.saves).toBe(paused + 1);
    expect(of(b.events, 'saved')).toEqual([]);
  });

  it('while training: the loop trains on during the write, and writes never overlap', async () => {
    const g = gatedStore();
    const a = host({ store: g.store, trainDigits: 2000 });
    const lab = new Lab(a.h);
    const config = smallConfig({ batchSize: 1, trainSubset: 2000, epochs: 2 });
    await lab.handle({ kind: 'start', config });
    await a.until((e) => e.kind === 'progress' && stepOf(e) >= 2);
    g.hold();
    const before = g.stats.saves;
    const first = lab.handle({ kind: 'save' });
    await waitFor(() => g.stats.saves === before + 1);
    // The write is held back; steps go on, and more saves queue behind it without overlapping.
    const held = stepOf(of(a.events, 'progress').at(-1)!);
    await a.until((e) => e.kind === 'progress' && stepOf(e) >= held + 20);
    const more = [lab.handle({ kind: 'save' }), lab.handle({ kind: 'save' })];
    await new Promise((r) => setTimeout(r, 20));
    expect(g.stats.saves).toBe(before + 1);
    expect(g.stats.inFlight).toBe(1);
    g.release();
    await Promise.all([first, ...more]);
    expect(g.stats.maxInFlight).toBe(1);
    expect(g.stats.saves).toBeGreaterThan(before + 1);

    await lab.handle({ kind: 'pause' });
    await a.until((e) => e.kind === 'status' && e.state === 'paused');
    const last = stepOf(of(a.events, 'progress').at(-1)!);
    expect((await g.store.load())!.optimizerSteps).toBe(last);
    const steps = of(a.events, 'saved').map((e) => e.step);
    expect(steps).toEqual([...steps].sort((x, y) => x - y));
    expect(of(a.events, 'error')).toEqual([]);
  });

  it('a clear sent while a save is being written wins: the run does not come back', async () => {
    const g = gatedStore();
    const a = host({ store: g.store });
    const lab = new Lab(a.h);
    await lab.handle({ kind: 'start', config: smallConfig({ epochs: 50 }) });
    await a.until((e) => e.kind === 'progress' && stepOf(e) >= 1);
    g.hold();
    const before = g.stats.saves;
    const saving = lab.handle({ kind: 'save' });
    await waitFor(() => g.stats.saves === before + 1);
    const clearing = lab.handle({ kind: 'clear' });
    g.release();
    await Promise.all([saving, clearing]);
    expect(await g.store.load()).toBeUndefined();
    expect(of(a.events, 'status').at(-1)!.state).toBe('idle');
    await lab.handle({ kind: 'save' });
    expect(await g.store.load()).toBeUndefined();
  });
});
