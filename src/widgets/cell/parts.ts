/** The elements of a mounted cell that a run draws into (found once by `view.ts`). */
export interface CellParts {
  readonly root: HTMLElement;
  readonly name: string;
  readonly outputs: HTMLElement;
  readonly error: HTMLElement;
  readonly badge: HTMLElement;
  readonly live: HTMLElement;
  readonly run: HTMLButtonElement;
}
