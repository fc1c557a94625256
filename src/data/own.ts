/**
 * The reader's own classes (lesson 15): 2–5 named classes, each with its examples as 28 × 28
 * images (one byte a pixel, 0 = paper, 255 = ink, like MNIST), edited by pure functions that
 * answer bad input with a sentence, never an exception; a seeded hold-out of each class; the
 * packed form the lab trains on; and a small JSON archive of the examples (export and import).
 */
import { IMAGE_PIXELS } from './mnist.ts';
import type { MnistSplit } from './mnist.ts';
import { mulberry32, shuffleInPlace } from './random.ts';

export const MIN_CLASSES = 2;
export const MAX_CLASSES = 5;
export const MIN_EXAMPLES = 10;
export const MAX_EXAMPLES = 60;
export const MAX_NAME = 24;
/** The share of each class's examples held out (at least 2 of each). */
export const HOLD_OUT_FRACTION = 0.2;
export const MIN_HELD_OUT = 2;

export const ARCHIVE_FORMAT = 'convbook-own-examples';
export const ARCHIVE_VERSION = 1;

export interface OwnClass {
  readonly name: string;
  /** Each example: 784 bytes, row-major. */
  readonly examples: readonly Uint8Array[];
}

export interface OwnDataset {
  readonly classes: readonly OwnClass[];
}

export const EMPTY_DATASET: OwnDataset = { classes: [] };

/** An edit's outcome: the new dataset, or why it was refused (the old one is unchanged). */
export type Edit =
  | { readonly ok: true; readonly dataset: OwnDataset }
  | { readonly ok: false; readonly error: string };

const refuse = (error: string): Edit => ({ ok: false, error });
const accept = (classes: readonly OwnClass[]): Edit => ({ ok: true, dataset: { classes } });

/** What is wrong with `raw` as the name of a class (other than class `except`), or null. */
export function nameProblem(d: OwnDataset, raw: string, except = -1): string | null {
  const name = raw.trim();
  if (!name) return 'A class needs a name (type one, say “circle”).';
  if (name.length > MAX_NAME)
    return `“${name.slice(0, MAX_NAME)}…” is ${name.length} characters long; at most ${MAX_NAME}.`;
  const clash = d.classes.findIndex(
    (c, i) => i !== except && c.name.toLocaleLowerCase('en') === name.toLocaleLowerCase('en'),
  );
  if (clash >= 0)
    return `There is already a class called “${d.classes[clash]!.name}”: give each class its own name.`;
  return null;
}

export function addClass(d: OwnDataset, raw: string): Edit {
  if (d.classes.length >= MAX_CLASSES)
    return refuse(`You have ${MAX_CLASSES} classes already, the most this lab trains.`);
  const bad = nameProblem(d, raw);
  return bad ? refuse(bad) : accept([...d.classes, { name: raw.trim(), examples: [] }]);
}

function classAt(d: OwnDataset, index: number): OwnClass | string {
  const c = d.classes[index];
  return c ?? `There is no class ${index} (there are ${d.classes.length}, counted from 0).`;
}

export function renameClass(d: OwnDataset, index: number, raw: string): Edit {
  const c = classAt(d, index);
  if (typeof c === 'string') return refuse(c);
  const bad = nameProblem(d, raw, index);
  if (bad) return refuse(bad);
  return accept(d.classes.map((k, i) => (i === index ? { ...k, name: raw.trim() } : k)));
}

export function removeClass(d: OwnDataset, index: number): Edit {
  const c = classAt(d, index);
  if (typeof c === 'string') return refuse(c);
  return accept(d.classes.filter((_, i) => i !== index));
}

/** A 28 × 28 image as bytes: floats in [0, 1] are scaled, bytes kept; anything else refused. */
export function toExample(pixels: ArrayLike<number>): Uint8Array | string {
  if (pixels.length !== IMAGE_PIXELS)
    return `An example is 28 × 28 = ${IMAGE_PIXELS} pixels; this one has ${pixels.length}.`;
  const bytes = pixels instanceof Uint8Array;
  const out = new Uint8Array(IMAGE_PIXELS);
  let ink = 0;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const v = pixels[i]!;
    if (!Number.isFinite(v)) return `Pixel ${i} of the example is not a number (${v}).`;
    out[i] = bytes ? v : Math.round(Math.max(0, Math.min(1, v)) * 255);
    ink = Math.max(ink, out[i]!);
  }
  if (ink < 13) return 'The example is blank: draw (or upload) a shape first.';
  return out;
}

export function addExample(d: OwnDataset, index: number, pixels: ArrayLike<number>): Edit {
  const c = classAt(d, index);
  if (typeof c === 'string') return refuse(c);
  if (c.examples.length >= MAX_EXAMPLES)
    return refuse(`“${c.name}” has ${MAX_EXAMPLES} examples, the most a class keeps.`);
  const ex = toExample(pixels);
  if (typeof ex === 'string') return refuse(ex);
  return accept(
    d.classes.map((k, i) => (i === index ? { ...k, examples: [...k.examples, ex] } : k)),
  );
}

export function removeExample(d: OwnDataset, index: number, example: number): Edit {
  const c = classAt(d, index);
  if (typeof c === 'string') return refuse(c);
  if (!c.examples[example])
    return refuse(`“${c.name}” has no example ${example} (it has ${c.examples.length}).`);
  return accept(
    d.classes.map((k, i) =>
      i === index ? { ...k, examples: k.examples.filter((_, j) => j !== example) } : k,
    ),
  );
}

export const exampleCount = (d: OwnDataset): number =>
  d.classes.reduce((n, c) => n + c.examples.length, 0);

/** Why the dataset cannot be trained on yet, in one sentence, or null when it can. */
export function readiness(d: OwnDataset): string | null {
  if (d.classes.length < MIN_CLASSES)
    return `Name at least ${MIN_CLASSES} classes (you have ${d.classes.length}).`;
  const short = d.classes.filter((c) => c.examples.length < MIN_EXAMPLES);
  if (short.length)
    return `Each class needs at least ${MIN_EXAMPLES} examples: ${short
      .map((c) => `“${c.name}” has ${c.examples.length}`)
      .join(', ')}.`;
  return null;
}

/** How many of a class's `n` examples are held out. */
export const heldOutCount = (n: number): number =>
  Math.min(n - 1, Math.max(MIN_HELD_OUT, Math.round(n * HOLD_OUT_FRACTION)));

/** The dataset as the lab receives it: names, every example in class order, their labels. */
export interface PackedDataset {
  readonly classes: readonly string[];
  /** count × 784 bytes. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

export function pack(d: OwnDataset): PackedDataset {
  const all = d.classes.flatMap((c, k) => c.examples.map((e) => [k, e] as const));
  const images = new Uint8Array(all.length * IMAGE_PIXELS);
  const labels = new Uint8Array(all.length);
  all.forEach(([k, e], n) => {
    images.set(e, n * IMAGE_PIXELS);
    labels[n] = k;
  });
  return { classes: d.classes.map((c) => c.name), images, labels };
}

export function unpack(p: PackedDataset): OwnDataset {
  return {
    classes: p.classes.map((name, k) => ({
      name,
      examples: [...p.labels.keys()]
        .filter((n) => p.labels[n] === k)
        .map((n) => p.images.slice(n * IMAGE_PIXELS, (n + 1) * IMAGE_PIXELS)),
    })),
  };
}

function split(p: PackedDataset, indices: readonly number[], classes: number): MnistSplit {
  const images = new Uint8Array(indices.length * IMAGE_PIXELS);
  const labels = new Uint8Array(indices.length);
  const perClass = new Array<number>(classes).fill(0);
  indices.forEach((i, n) => {
    images.set(p.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), n * IMAGE_PIXELS);
    labels[n] = p.labels[i]!;
    perClass[labels[n]!]! += 1;
  });
  return { images, labels, count: indices.length, perClass };
}

/**
 * The seeded hold-out: each class's examples shuffled by (seed, class), the first
 * heldOutCount(n) of them held out. `heldOut` lists the held-out examples' indices in the packed
 * order (what the test split's n-th image is).
 */
export function holdOut(
  p: PackedDataset,
  seed: number,
): { train: MnistSplit; test: MnistSplit; heldOut: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  p.classes.forEach((_, k) => {
    const mine = [...p.labels.keys()].filter((n) => p.labels[n] === k);
    shuffleInPlace(mine, mulberry32((seed ^ Math.imul(k + 1, 0x2545f491)) >>> 0));
    const h = heldOutCount(mine.length);
    test.push(...mine.slice(0, h));
    train.push(...mine.slice(h));
  });
  test.sort((a, b) => a - b);
  train.sort((a, b) => a - b);
  const n = p.classes.length;
  return { train: split(p, train, n), test: split(p, test, n), heldOut: test };
}

/**
 * `other`'s examples added to `d`: a class of the same name (any case) gets them appended (up to
 * MAX_EXAMPLES), a new name becomes a class (up to MAX_CLASSES); `text` says what was kept.
 */
export function merge(d: OwnDataset, other: OwnDataset): { dataset: OwnDataset; text: string } {
  let out = d;
  let added = 0;
  const left: string[] = [];
  for (const c of other.classes) {
    let k = out.classes.findIndex(
      (x) => x.name.toLocaleLowerCase('en') === c.name.toLocaleLowerCase('en'),
    );
    if (k < 0) {
      const made = addClass(out, c.name);
      if (!made.ok) {
        left.push(`“${c.name}” (${made.error})`);
        continue;
      }
      out = made.dataset;
      k = out.classes.length - 1;
    }
    const room = MAX_EXAMPLES - out.classes[k]!.examples.length;
    const take = c.examples.slice(0, Math.max(0, room));
    if (take.length < c.examples.length)
      left.push(
        `${c.examples.length - take.length} of “${c.name}” (a class keeps ${MAX_EXAMPLES})`,
      );
    added += take.length;
    out = {
      classes: out.classes.map((x, i) =>
        i === k ? { ...x, examples: [...x.examples, ...take] } : x,
      ),
    };
  }
  const text = `added ${added} example${added === 1 ? '' : 's'}${left.length ? `; left out ${left.join(', ')}` : ''}.`;
  return { dataset: out, text };
}

// ---------------------------------------------------------------- the archive

const toBase64 = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** The examples as a small JSON file: format, version, and each class's images in base64. */
export function toArchive(d: OwnDataset): string {
  return JSON.stringify({
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    size: 28,
    classes: d.classes.map((c) => ({
      name: c.name,
      examples: c.examples.length,
      pixels: toBase64(Uint8Array.from(c.examples.flatMap((e) => [...e]))),
    })),
  });
}

export class ArchiveError extends Error {}

/** Reads an archive back, checking every field; throws ArchiveError saying what is wrong. */
export function fromArchive(text: string): OwnDataset {
  const fail = (why: string): never => {
    throw new ArchiveError(`This is not an archive of ConvBook examples: ${why}.`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('it is not JSON');
  }
  const a = raw as { format?: unknown; version?: unknown; size?: unknown; classes?: unknown };
  if (!a || typeof a !== 'object' || a.format !== ARCHIVE_FORMAT)
    return fail(`its format is not “${ARCHIVE_FORMAT}”`);
  if (a.version !== ARCHIVE_VERSION)
    return fail(
      `it is version ${String(a.version)}; this ConvBook reads version ${ARCHIVE_VERSION}`,
    );
  if (a.size !== 28) return fail('its images are not 28 × 28');
  if (!Array.isArray(a.classes)) return fail('it lists no classes');
  if (a.classes.length < 1 || a.classes.length > MAX_CLASSES)
    return fail(`it has ${a.classes.length} classes; 1 to ${MAX_CLASSES} are allowed`);
  let d: OwnDataset = EMPTY_DATASET;
  a.classes.forEach((c: { name?: unknown; examples?: unknown; pixels?: unknown }, k: number) => {
    if (typeof c?.name !== 'string') fail(`class ${k} has no name`);
    const named = addClass(d, c.name as string);
    if (!named.ok) fail(`class ${k}: ${named.error}`);
    d = (named as { dataset: OwnDataset }).dataset;
    const n = c.examples;
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_EXAMPLES)
      fail(`class ${k} claims ${String(n)} examples; 0 to ${MAX_EXAMPLES} are allowed`);
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(String(c.pixels)), (ch) => ch.charCodeAt(0));
    } catch {
      return fail(`class ${k}'s pixels are not base64`);
    }
    if (bytes.length !== (n as number) * IMAGE_PIXELS)
      fail(
        `class ${k} has ${bytes.length} bytes of pixels, ${(n as number) * IMAGE_PIXELS} expected`,
      );
    const examples = Array.from({ length: n as number }, (_, j) =>
      bytes.slice(j * IMAGE_PIXELS, (j + 1) * IMAGE_PIXELS),
    );
    d = { classes: d.classes.map((x, i) => (i === k ? { ...x, examples } : x)) };
  });
  return d;
}
