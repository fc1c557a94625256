/** Ordering and neighbours of lessons, independent of Astro so it can be unit-tested. */
export interface LessonRef {
  readonly id: string;
  readonly title: string;
  readonly order: number;
}

export function sortLessons<T extends LessonRef>(lessons: readonly T[]): T[] {
  const sorted = [...lessons].sort((a, b) => a.order - b.order);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].order === sorted[i - 1].order) {
      throw new Error(
        `lessons "${sorted[i - 1].id}" and "${sorted[i].id}" both have order ${sorted[i].order}`,
      );
    }
  }
  return sorted;
}

export function neighbours<T extends LessonRef>(
  sorted: readonly T[],
  id: string,
): { prev: T | undefined; next: T | undefined } {
  const i = sorted.findIndex((l) => l.id === id);
  if (i < 0) throw new Error(`no lesson with id "${id}"`);
  return { prev: sorted[i - 1], next: sorted[i + 1] };
}

export function lessonUrl(id: string): string {
  return `/lessons/${id}/`;
}
