/**
 * Colour theme: follows the system unless the reader picked one, and the pick is remembered.
 * The same rule runs inline in <head> (see ThemeInit.astro) to avoid a flash of the wrong theme.
 */
export const THEME_KEY = 'convbook:theme';
export type ThemeChoice = 'system' | 'light' | 'dark';

export function parseThemeChoice(raw: string | null): ThemeChoice {
  return raw === 'light' || raw === 'dark' ? raw : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** The toggle cycles system → light → dark → system. */
export function nextThemeChoice(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'light' : choice === 'light' ? 'dark' : 'system';
}
