/**
 * Lesson completion, kept in the reader's browser (localStorage). Pure functions so the parsing
 * of whatever is stored — possibly edited by hand or written by an older version — is testable.
 */
export const PROGRESS_KEY = 'convbook:progress:v1';

/** slug → ISO date the reader marked the lesson complete. */
export type Progress = Readonly<Record<string, string>>;

/** Parses stored progress; anything malformed is dropped rather than trusted. */
export function parseProgress(raw: string | null): Progress {
  if (raw === null) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [slug, date] of Object.entries(value)) {
    if (/^[a-z0-9-]{1,80}$/.test(slug) && typeof date === 'string') out[slug] = date;
  }
  return out;
}

export function markComplete(progress: Progress, slug: string, when: Date): Progress {
  return { ...progress, [slug]: when.toISOString() };
}

export function markIncomplete(progress: Progress, slug: string): Progress {
  const { [slug]: _removed, ...rest } = progress;
  return rest;
}

export function isComplete(progress: Progress, slug: string): boolean {
  return Object.hasOwn(progress, slug);
}

/** "2 of 7 lessons complete" — the count ignores slugs that are no longer lessons. */
export function summarise(progress: Progress, slugs: readonly string[]): string {
  const done = slugs.filter((s) => isComplete(progress, s)).length;
  return `${done} of ${slugs.length} lesson${slugs.length === 1 ? '' : 's'} complete`;
}
