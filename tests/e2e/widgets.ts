/**
 * What the lesson tests share: one Chromium per test file, and opening a lesson with a widget on
 * screen, waiting for the widget's "computed twice" agreement, reading its data-* attributes and
 * the JSON the page embeds in it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { launchChromium } from './browser';

/** Launches Chromium before the file's tests and closes it after them; call the result for it. */
export function chromiumPerFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: call this inside a test or hook');
    return browser;
  };
}

/** A widget's root. */
export const W = (name: string) => `[data-widget="${name}"]`;

/** Opens `/lessons/<lesson>/?<query>`, puts the widget on screen and waits until it has started. */
export async function openWidget(
  page: Page,
  lesson: string,
  widget: string,
  query: string,
): Promise<void> {
  await page.goto(`${inject('baseURL')}/lessons/${lesson}/?${query}`);
  // scrollIntoView without Playwright's stability wait: the page above may still be laying out
  // (KaTeX, charts) while SwiftShader keeps the CPU busy.
  await page.locator(W(widget)).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.locator(`${W(widget)}[data-state]`).waitFor({ timeout: 60_000 });
}

/**
 * Waits for ORT's result for the current inputs to agree with the reference engine's, on
 * `backend`, within 1e-3 (the loosest backend tolerance).
 */
export async function agreed(page: Page, widget: string, backend: string): Promise<void> {
  await page
    .locator(`${W(widget)}[data-state="done"][data-agree="true"]`)
    .waitFor({ timeout: 150_000 });
  expect(await page.locator(W(widget)).getAttribute('data-backend')).toBe(backend);
  expect(Number(await page.locator(W(widget)).getAttribute('data-max-abs-error'))).toBeLessThan(
    1e-3,
  );
}

/** The widget's `data-<name>` attribute ('' when absent). */
export const attr = async (page: Page, widget: string, name: string) =>
  (await page.locator(W(widget)).getAttribute(`data-${name}`)) ?? '';

/** The JSON the page embeds in the widget as `<script data-json="name">`. */
export async function embedded<T>(page: Page, widget: string, name: string): Promise<T> {
  return JSON.parse(
    await page.locator(`${W(widget)} script[data-json="${name}"]`).innerHTML(),
  ) as T;
}
