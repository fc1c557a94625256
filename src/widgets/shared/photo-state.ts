/**
 * The photo part of a photo figure's state. Every photo figure keeps the same four things and
 * updates them the same way; its own reducer hands these actions to `reduce` and handles the
 * rest. Imported as a namespace: `photoState.reduce(s, a)`, `interface S extends photoState.Slice`.
 */
import { carryCursor, centreIndex, moveCursor, PHOTO_IDS } from './photos';
import type { CursorAction, Photo, PhotoPickAction } from './photos';

/** What the photo control says: progress, the picture's size, or why a photo was refused. */
export interface Message {
  readonly text: string;
  readonly bad: boolean;
}

/** Writes the photo control's message into `el`, marked as an error when it is one. */
export function showMessage(el: HTMLElement, m: Message | undefined): void {
  el.textContent = m?.text ?? '';
  el.classList.toggle('cbw-error', m?.bad === true);
}

export interface Slice {
  /** The photo asked for (a shipped id or an upload's key); `photo` is the one on screen. */
  readonly want: string;
  readonly photo: Photo;
  /** The pointed pixel (flat index, row by row). */
  readonly cursor: number;
  readonly message?: Message;
}

export type Action = PhotoPickAction | CursorAction;

/** A figure's first photo state: `photo`, pointed at its centre. */
export const initial = (photo: Photo): Slice => ({
  want: photo.key,
  photo,
  cursor: centreIndex(photo),
});

const PHOTO_KINDS: ReadonlySet<string> = new Set(['pick', 'loaded', 'failed', 'point', 'key']);

export const isAction = <A extends { readonly kind: string }>(a: A | Action): a is Action =>
  PHOTO_KINDS.has(a.kind);

/**
 * A pick asks for a shipped photo; its load lands only if it is still the one asked for (a late
 * one is dropped) and keeps the pointed row and column; a failed load goes back to the photo on
 * screen with the reason. Returns `s` itself when nothing changes.
 */
export function reduce<S extends Slice>(s: S, a: Action): S {
  switch (a.kind) {
    case 'pick':
      return a.id === s.want || !PHOTO_IDS.includes(a.id)
        ? s
        : { ...s, want: a.id, message: undefined };
    case 'loaded': {
      if (a.photo.key !== s.want) return s;
      const message = a.note ? { text: a.note, bad: false } : undefined;
      return { ...s, photo: a.photo, cursor: carryCursor(s.cursor, s.photo, a.photo), message };
    }
    case 'failed':
      return { ...s, want: s.photo.key, message: { text: a.message, bad: true } };
    case 'point':
    case 'key': {
      const cursor = moveCursor(s.cursor, s.photo, a);
      return cursor === s.cursor ? s : { ...s, cursor };
    }
  }
}
