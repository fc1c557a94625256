/**
 * The reader's own classes (src/data/own.ts) and their store (own-store.ts): adding and removing
 * classes and examples with a sentence for every refusal, the seeded hold-out, the archive round
 * trip and its refusals, and the store's size limit and quota errors.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_DATASET,
  MAX_CLASSES,
  MIN_EXAMPLES,
  addClass,
  addExample,
  exampleCount,
  fromArchive,
  heldOutCount,
  holdOut,
  merge,
  pack,
  readiness,
  removeClass,
  removeExample,
  renameClass,
  toArchive,
  toExample,
  unpack,
} from '../../../src/data/own';
import type { Edit, OwnDataset } from '../../../src/data/own';
import { memoryKv, ownStore, StoreError } from '../../../src/data/own-store';
import type { KeyValue } from '../../../src/data/own-store';

const ok = (e: Edit): OwnDataset => {
  if (!e.ok) throw new Error(e.error);
  return e.dataset;
};
const error = (e: Edit): string => (e.ok ? '' : e.error);

/** Example n of class k: a bright bar whose row says which (distinct for every (k, n)). */
function example(k: number, n: number): Float32Array {
  const px = new Float32Array(784);
  for (let c = 0; c < 28; c++) px[(k * 5 + 2) * 28 + c] = 1;
  px[27 * 28 + n] = 0.5;
  return px;
}

function dataset(classes: string[], per: number): OwnDataset {
  let d = EMPTY_DATASET;
  classes.forEach((name, k) => {
    d = ok(addClass(d, name));
    for (let n = 0; n < per; n++) d = ok(addExample(d, k, example(k, n)));
  });
  return d;
}

describe('own dataset: classes', () => {
  it('addClass trims names and refuses blank, long, duplicate (any case) and a sixth', () => {
    let d = ok(addClass(EMPTY_DATASET, '  circle '));
    expect(d.classes.map((c) => c.name)).toEqual(['circle']);
    expect(error(addClass(d, '   '))).toMatch(/needs a name/);
    expect(error(addClass(d, 'x'.repeat(30)))).toMatch(/30 characters long; at most 24/);
    expect(error(addClass(d, 'Circle'))).toBe(
      'There is already a class called “circle”: give each class its own name.',
    );
    for (const n of ['a', 'b', 'c', 'e']) d = ok(addClass(d, n));
    expect(d.classes).toHaveLength(MAX_CLASSES);
    expect(error(addClass(d, 'f'))).toMatch(/5 classes already/);
  });
  it('renameClass keeps its own name legal, refuses another class’s; removeClass drops its examples', () => {
    const d = dataset(['a', 'b'], 2);
    expect(ok(renameClass(d, 0, 'A')).classes[0]!.name).toBe('A');
    expect(error(renameClass(d, 0, 'B'))).toMatch(/already a class called “b”/);
    expect(error(renameClass(d, 5, 'z'))).toMatch(/no class 5/);
    const r = ok(removeClass(d, 0));
    expect(r.classes.map((c) => c.name)).toEqual(['b']);
    expect(exampleCount(r)).toBe(2);
    expect(d.classes).toHaveLength(2); // the old value is unchanged
  });
});

describe('own dataset: examples', () => {
  it('toExample scales floats to bytes, keeps bytes, refuses wrong sizes, NaN and blank images', () => {
    const e = toExample(example(0, 3)) as Uint8Array;
    expect(e[2 * 28]).toBe(255);
    expect(e[27 * 28 + 3]).toBe(128);
    expect(toExample(e)).toEqual(e);
    expect(toExample(new Float32Array(100))).toMatch(/784 pixels; this one has 100/);
    const nan = example(0, 0);
    nan[5] = Number.NaN;
    expect(toExample(nan)).toMatch(/Pixel 5 .* not a number/);
    expect(toExample(new Float32Array(784))).toMatch(/blank/);
  });
  it('addExample and removeExample edit one class; readiness names every short class', () => {
    let d = dataset(['circle', 'cross'], 3);
    expect(readiness(d)).toBe(
      `Each class needs at least ${MIN_EXAMPLES} examples: “circle” has 3, “cross” has 3.`,
    );
    d = ok(removeExample(d, 1, 0));
    expect(d.classes.map((c) => c.examples.length)).toEqual([3, 2]);
    expect(error(removeExample(d, 1, 9))).toMatch(/“cross” has no example 9 \(it has 2\)/);
    expect(error(addExample(d, 0, new Float32Array(784)))).toMatch(/blank/);
    expect(readiness(dataset(['a'], 12))).toMatch(/at least 2 classes/);
    expect(readiness(dataset(['a', 'b'], MIN_EXAMPLES))).toBeNull();
  });
});

describe('own dataset: hold-out', () => {
  it('holds out 20 % of each class (at least 2), seeded, disjoint from training, same for the same seed', () => {
    expect([10, 11, 15, 30, 60].map(heldOutCount)).toEqual([2, 2, 3, 6, 12]);
    const p = pack(dataset(['a', 'b', 'c'], 12));
    const s = holdOut(p, 7);
    expect(s.test.count).toBe(6);
    expect(s.train.count).toBe(30);
    expect(s.test.perClass).toEqual([2, 2, 2]);
    expect(s.train.perClass).toEqual([10, 10, 10]);
    const again = holdOut(p, 7);
    expect(again.heldOut).toEqual(s.heldOut);
    expect(holdOut(p, 8).heldOut).not.toEqual(s.heldOut);
    // Each held-out image is the packed image it names, and none is in the training split.
    const key = (img: Uint8Array) => img.join(',');
    const train = new Set(
      Array.from({ length: s.train.count }, (_, n) =>
        key(s.train.images.slice(n * 784, (n + 1) * 784)),
      ),
    );
    s.heldOut.forEach((i, n) => {
      const img = s.test.images.slice(n * 784, (n + 1) * 784);
      expect(key(img)).toBe(key(p.images.slice(i * 784, (i + 1) * 784)));
      expect(s.test.labels[n]).toBe(p.labels[i]);
      expect(train.has(key(img))).toBe(false);
    });
  });
  it('pack and unpack are inverses', () => {
    const d = dataset(['a', 'b'], 4);
    expect(unpack(pack(d))).toEqual(d);
  });
});

describe('own dataset: the archive', () => {
  it('round-trips every class and pixel', () => {
    const d = dataset(['circle', 'cross', 'smiley'], 10);
    const text = toArchive(d);
    expect(fromArchive(text)).toEqual(d);
    expect(text.length).toBeLessThan(3 * 10 * 784 * 1.4 + 500);
  });
  it('refuses what is not an archive, saying what is wrong', () => {
    const good = JSON.parse(toArchive(dataset(['a', 'b'], 2))) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => () =>
      fromArchive(JSON.stringify({ ...good, ...patch }));
    expect(() => fromArchive('{oops')).toThrow(/not JSON/);
    expect(bad({ format: 'zip' })).toThrow(/format is not “convbook-own-examples”/);
    expect(bad({ version: 9 })).toThrow(/version 9/);
    const classes = good.classes as { name: string; examples: number; pixels: string }[];
    expect(bad({ classes: [classes[0], { ...classes[1], name: 'A' }] })).toThrow(
      /class 1: There is already a class called “a”/,
    );
    expect(bad({ classes: [{ ...classes[0], examples: 3 }] })).toThrow(
      /class 0 has 1568 bytes of pixels, 2352 expected/,
    );
    expect(bad({ classes: [{ ...classes[0], pixels: '%%%' }] })).toThrow(/not base64/);
    expect(bad({ classes: Array(6).fill(classes[0]) })).toThrow(/6 classes/);
  });
});

describe('own store', () => {
  it('saves, loads and clears the examples', async () => {
    const store = ownStore(memoryKv());
    expect(await store.load()).toBeNull();
    const d = dataset(['a', 'b'], 3);
    await store.save(d);
    expect(await store.load()).toEqual(d);
    await store.clear();
    expect(await store.load()).toBeNull();
  });
  it('refuses a dataset over its size limit, keeping the saved one', async () => {
    const kv = memoryKv();
    const store = ownStore(kv, 8 * 1024);
    const small = dataset(['a', 'b'], 2);
    await store.save(small);
    const error = await store.save(dataset(['a', 'b'], 8)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/take 1\d KB; this browser store keeps at most 8 KB/);
    expect((error as Error).message).toMatch(/still here on the page/);
    expect(await store.load()).toEqual(small);
  });
  it('answers a full quota and an unreadable record with a sentence', async () => {
    const full: KeyValue = {
      ...memoryKv(),
      put: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
    };
    await expect(ownStore(full).save(dataset(['a', 'b'], 1))).rejects.toThrow(
      /storage is full, so your examples were not saved/,
    );
    const kv = memoryKv();
    kv.map.set('examples', '{"format":"other"}');
    await expect(ownStore(kv).load()).rejects.toThrow(
      /saved examples could not be read \(This is not an archive/,
    );
  });
});

describe('own dataset: merge', () => {
  it('appends to a class of the same name, adds new ones, says what it left out', () => {
    const a = dataset(['circle', 'cross'], 2);
    const b = dataset(['Cross', 'smiley'], 3);
    const m = merge(a, b);
    expect(m.dataset.classes.map((c) => [c.name, c.examples.length])).toEqual([
      ['circle', 2],
      ['cross', 5],
      ['smiley', 3],
    ]);
    expect(m.text).toBe('added 6 examples.');
    const full = merge(dataset(['a', 'b', 'c', 'd', 'e'], 1), dataset(['f'], 1));
    expect(full.text).toMatch(/added 0 examples; left out “f” \(You have 5 classes already/);
  });
});
