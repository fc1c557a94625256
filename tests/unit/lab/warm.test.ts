/**
 * The warm-up while the reader reads (lab-warm.ts): throwaway steps of the settings' graph that
 * leave no trace on the run the reader then starts, end at once when Start comes, and never run
 * beside a run that exists.
 */
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/runtime/lab/lab';
import { WARM_STEPS } from '../../../src/runtime/lab/lab-warm';
import { host, of } from './fake-host';
import { smallConfig } from './fixtures';

const config = smallConfig({ backend: 'wasm', epochs: 2 });
const curve = (events: Parameters<typeof of>[0]) =>
  of(events, 'progress')
    .at(-1)!
    .progress.history.map((p) => p.trainLoss);

describe('warm-up', () => {
  it('runs its steps while idle, stays idle, and the run started after it is the same run', async () => {
    const warm = host();
    const lab = new Lab(warm.h);
    await lab.handle({ kind: 'warm', config });
    expect(of(warm.events, 'warmed')[0]).toMatchObject({ kind: 'warmed', steps: WARM_STEPS });
    expect(of(warm.events, 'status').map((e) => e.state)).not.toContain('training');
    await lab.handle({ kind: 'start', config });
    await warm.until((e) => e.kind === 'status' && e.state === 'done');

    const cold = host();
    const other = new Lab(cold.h);
    await other.handle({ kind: 'start', config });
    await cold.until((e) => e.kind === 'status' && e.state === 'done');
    expect(curve(warm.events).length).toBeGreaterThan(2);
    expect(curve(warm.events)).toEqual(curve(cold.events));
    expect(of(warm.events, 'eval').map((e) => e.testAccuracy)).toEqual(
      of(cold.events, 'eval').map((e) => e.testAccuracy),
    );
  });

  it('ends after the step in flight when the reader presses Start', async () => {
    const { h, events, until } = host();
    const lab = new Lab(h);
    const warming = lab.handle({ kind: 'warm', config });
    await until((e) => e.kind === 'data-progress');
    await new Promise((r) => setTimeout(r, 30));
    await lab.handle({ kind: 'start', config });
    await warming;
    const steps = of(events, 'warmed')[0]!.steps;
    expect(steps).toBeLessThan(WARM_STEPS);
    await until((e) => e.kind === 'status' && e.state === 'done');
  });

  it('does nothing beside a run, on the reference engine, or for lesson 12 and 15 runs', async () => {
    const { h, events, until } = host();
    const lab = new Lab(h);
    await lab.handle({ kind: 'warm', config: smallConfig() }); // backend 'reference'
    await lab.handle({ kind: 'warm', config: { ...config, task: 'own' } });
    await lab.handle({ kind: 'start', config: smallConfig({ backend: 'wasm', epochs: 50 }) });
    await lab.handle({ kind: 'pause' });
    await until((e) => e.kind === 'status' && e.state === 'paused');
    await lab.handle({ kind: 'warm', config });
    expect(of(events, 'warmed').map((e) => e.steps)).toEqual([0, 0, 0]);
  });
});
