/**
 * A widget's settings, declared once: each field knows its URL key (also the control's name), its
 * label, its first value, how to parse what the reader typed or a link carried, and how to write it
 * back. Every widget reads its link, validates its controls and writes its link through these, so a
 * bad value gets the same kind of message everywhere and nothing else is hand-parsed.
 */

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface Field<T> {
  /** URL key (`ns.key=…`) and the `name` of the control that edits it. */
  readonly key: string;
  /** Names the field in messages: `stride: "abc" is not a number.` */
  readonly label: string;
  readonly initial: T;
  parse(raw: string): Parsed<T>;
  format(value: T): string;
}

/** Any record of fields; `Values<F>` is the record of their parsed values. */
export type Fields = Readonly<Record<string, Field<unknown>>>;
export type Values<F extends Fields> = {
  -readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never;
};

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/**
 * "1,234" and "1 234" read as 1234; "" and "abc" are not numbers. With `decimalComma`, a comma is
 * the decimal point instead ("1,5" is 1.5), as typed on many keyboards.
 */
function readNumber(raw: string, decimalComma = false): number | undefined {
  const text = raw
    .trim()
    .replace(decimalComma ? /[_\s]/g : /[,_\s]/g, '')
    .replace(',', '.')
    .replace(/^−/, '-');
  if (text === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

export interface RangeOptions<T> {
  readonly min: number;
  readonly max: number;
  readonly initial: T;
  /** Why the range is what it is, said in the message: "(softmax divides by it)". */
  readonly why?: string;
}

const because = (why: string | undefined) => (why ? ` (${why})` : '');
const n = (v: number) => v.toLocaleString('en-US');

/** A whole number in [min, max]. */
export function integer(key: string, label: string, o: RangeOptions<number>): Field<number> {
  return {
    key,
    label,
    initial: o.initial,
    parse(raw) {
      const v = readNumber(raw);
      if (v === undefined) return fail(`${label}: "${raw.trim()}" is not a number.`);
      if (!Number.isInteger(v) || v < o.min || v > o.max)
        return fail(
          `${label} must be a whole number from ${n(o.min)} to ${n(o.max)}${because(o.why)}, got ${raw.trim()}.`,
        );
      return ok(v);
    },
    format: (v) => String(v),
  };
}

export interface DecimalOptions extends RangeOptions<number> {
  /** `min` itself is not allowed (a learning rate must be > 0). */
  readonly aboveMin?: boolean;
  /** A comma is the decimal point ("1,5" is 1.5), not a thousands separator. */
  readonly decimalComma?: boolean;
}

/** A finite number in [min, max] (or (min, max] with `aboveMin`). */
export function decimal(key: string, label: string, o: DecimalOptions): Field<number> {
  const rule = o.aboveMin
    ? `greater than ${n(o.min)} and at most ${n(o.max)}`
    : `between ${n(o.min)} and ${n(o.max)}`;
  return {
    key,
    label,
    initial: o.initial,
    parse(raw) {
      const v = readNumber(raw, o.decimalComma);
      if (v === undefined) return fail(`${label}: "${raw.trim()}" is not a number.`);
      if (v > o.max || v < o.min || (o.aboveMin && v === o.min))
        return fail(`${label} must be ${rule}${because(o.why)}, got ${raw.trim()}.`);
      return ok(v);
    },
    format: (v) => String(Number(v.toPrecision(6))),
  };
}

/** One of a fixed set of strings (a select, a radio group). */
export function choice<T extends string>(
  key: string,
  label: string,
  options: readonly T[],
  initial: T,
): Field<T> {
  return {
    key,
    label,
    initial,
    parse(raw) {
      const v = raw.trim() as T;
      return options.includes(v)
        ? ok(v)
        : fail(`${label}: "${raw.trim()}" is not one of ${options.join(', ')}.`);
    },
    format: (v) => v,
  };
}

/** On or off: "1"/"0" in links ("true"/"false", "on"/"off" read too). */
export function flag(key: string, label: string, initial: boolean): Field<boolean> {
  return {
    key,
    label,
    initial,
    parse(raw) {
      const v = raw.trim().toLowerCase();
      if (v === '1' || v === 'true' || v === 'on') return ok(true);
      if (v === '0' || v === 'false' || v === 'off') return ok(false);
      return fail(`${label}: "${raw.trim()}" is not on (1) or off (0).`);
    },
    format: (v) => (v ? '1' : '0'),
  };
}

/** Parses every field present in `params`; a bad or missing value keeps the field's initial. */
export function readFields<F extends Fields>(
  fields: F,
  params: ReadonlyMap<string, string>,
  initial: Values<F> = initialValues(fields),
): { values: Values<F>; notes: string[] } {
  const values = { ...initial };
  const notes: string[] = [];
  for (const [name, field] of Object.entries(fields) as [keyof F & string, Field<unknown>][]) {
    const raw = params.get(field.key);
    if (raw === undefined) continue;
    const r = field.parse(raw);
    if (r.ok) values[name] = r.value as Values<F>[typeof name];
    else notes.push(`From the link: ${r.error} Using ${field.format(initial[name])}.`);
  }
  return { values, notes };
}

/**
 * The link reader of a widget whose settings are exactly its fields: `state` holds their values
 * (a bad or missing one keeps its initial), `notes` says what in the link could not be used.
 */
export function linkReader<F extends Fields>(
  fields: F,
): (params: ReadonlyMap<string, string>) => { state: Values<F>; notes: string[] } {
  return (params) => {
    const { values, notes } = readFields(fields, params);
    return { state: values, notes };
  };
}

export function initialValues<F extends Fields>(fields: F): Values<F> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) out[name] = field.initial;
  return out as Values<F>;
}

/** The link parameters for `values`; a value equal to the field's initial is left out. */
export function fieldParams<F extends Fields>(
  fields: F,
  values: Values<F>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, field] of Object.entries(fields)) {
    const text = field.format(values[name as keyof F]);
    out[field.key] = text === field.format(field.initial) ? undefined : text;
  }
  return out;
}
