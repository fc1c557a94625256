import { describe, expect, it, vi } from 'vitest';
import { mountWidget, stateOnly } from '../../../src/widgets/shared/define';
import type { WidgetSpec } from '../../../src/widgets/shared/define';

/** A root with no badge, note or live region: the kernel only sets data-state on it. */
const fakeRoot = () =>
  ({ dataset: {} as Record<string, string>, querySelector: () => null }) as unknown as HTMLElement;

/** Lets the kernel's queued tasks (a worker's result drawn, the rest of a sliced render) run. */
const nextTask = () => new Promise((r) => setTimeout(r, 0));

/** A result computed "in a worker": resolved by hand, in any order. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('mountWidget with a compute that answers later (a worker)', () => {
  it('says loading until the result comes, draws it, and drops a superseded one', async () => {
    const runs = new Map<number, ReturnType<typeof deferred<string>>>();
    const drawn: string[] = [];
    const spec: WidgetSpec<
      { n: number; cursor: number },
      Partial<{ n: number; cursor: number }>,
      string
    > = {
      name: 'demo',
      init: () => ({ state: { n: 1, cursor: 0 } }),
      reduce: (s, a) => ({ ...s, ...a }),
      compute: {
        key: (s) => String(s.n),
        run(s) {
          const d = deferred<string>();
          runs.set(s.n, d);
          return d.promise;
        },
      },
      view: () => [(s, r) => void drawn.push(`${s.n}:${r}`)],
    };
    const root = fakeRoot();
    const w = await mountWidget(spec, root);
    expect(root.dataset.state).toBe('loading');
    expect(drawn).toEqual([]);

    runs.get(1)!.resolve('one');
    await Promise.resolve();
    expect(drawn).toEqual([]); // drawn in a task of its own
    await nextTask();
    expect(drawn).toEqual(['1:one']);
    expect(root.dataset.state).toBe('done');

    // A state change with the same key reuses the result and starts nothing.
    w.dispatch({ cursor: 3 });
    expect(drawn).toEqual(['1:one', '1:one']);
    expect(runs.size).toBe(1);

    // Two changes in a row: the first answer is superseded and never drawn.
    w.dispatch({ n: 2 });
    w.dispatch({ n: 3 });
    expect(root.dataset.state).toBe('loading');
    runs.get(2)!.resolve('two');
    runs.get(3)!.resolve('three');
    await Promise.resolve();
    await Promise.resolve();
    await nextTask();
    expect(drawn).toEqual(['1:one', '1:one', '3:three']);
  });

  it('a failed result marks the widget as failed', async () => {
    const root = fakeRoot();
    await mountWidget(
      {
        name: 'demo',
        init: () => ({ state: 0 }),
        reduce: (s: number) => s,
        compute: { key: () => 'k', run: () => Promise.reject(new Error('worker gone')) },
        view: () => [],
      },
      root,
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(root.dataset.state).toBe('error');
  });

  it('a state-only panel keeps drawing while the result is computed', async () => {
    const inputs: number[] = [];
    const figures: string[] = [];
    let finish: (r: string) => void = () => {};
    const spec: WidgetSpec<number, number, string> = {
      name: 'demo',
      init: () => ({ state: 0 }),
      reduce: (_s, a) => a,
      compute: {
        key: String,
        run: (n) => (n === 0 ? 'zero' : new Promise<string>((r) => (finish = r))),
      },
      view: () => [
        stateOnly<number, string>((s) => void inputs.push(s)),
        (s, r) => void figures.push(`${s}:${r}`),
      ],
    };
    const w = await mountWidget(spec, fakeRoot());
    w.dispatch(1);
    expect(inputs).toEqual([0, 1]); // the input shows 1 at once
    expect(figures).toEqual(['0:zero']); // the figure waits for its result
    finish('one');
    await Promise.resolve();
    await nextTask();
    expect(figures).toEqual(['0:zero', '1:one']);
  });

  it("a state-only panel's `prev` is what it last drew, even while results are computed", async () => {
    // Saliency's digit box: 9 → 10 → 9 → 8 → 9 while the worker is busy. Each step must be
    // compared with what the box shows, not with the last state a result was drawn for (the
    // box stayed at 8 after → in CI: prev said 9 was already shown).
    const shown: string[] = [];
    const spec: WidgetSpec<number, number, string> = {
      name: 'demo',
      init: () => ({ state: 9 }),
      reduce: (_s, a) => a,
      compute: { key: String, run: (n) => (n === 9 ? 'nine' : new Promise<string>(() => {})) },
      view: () => [
        stateOnly<number, string>((s, _r, prev) => {
          if (prev !== s) shown.push(String(s));
        }),
      ],
    };
    const w = await mountWidget(spec, fakeRoot());
    for (const n of [10, 9, 8, 9]) w.dispatch(n);
    expect(shown).toEqual(['9', '10', '9', '8', '9']);
  });

  it('a render no handler waits for draws a task at a time once a slice is spent', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const drawn: string[] = [];
    const slow = (name: string) => (s: number, _r: string, prev: number | undefined) => {
      drawn.push(`${name}:${s}:${prev}`);
      clock += 15; // each panel takes 15 ms: two of them overrun a 20 ms slice
    };
    const root = fakeRoot();
    const w = await mountWidget<number, number, string>(
      {
        name: 'demo',
        init: () => ({ state: 0 }),
        reduce: (_s, a) => a,
        compute: { key: String, run: String },
        view: () => [slow('a'), slow('b'), slow('c')],
      },
      root,
    );
    expect(drawn).toEqual(['a:0:undefined', 'b:0:undefined']);
    expect(root.dataset.state).toBe('loading');
    await nextTask();
    expect(drawn).toEqual(['a:0:undefined', 'b:0:undefined', 'c:0:undefined']);
    expect(root.dataset.state).toBe('done');
    // A dispatch draws every panel at once: its handler expects the figure updated on return.
    w.dispatch(1);
    expect(drawn.slice(3)).toEqual(['a:1:0', 'b:1:0', 'c:1:0']);
    vi.restoreAllMocks();
  });
});
