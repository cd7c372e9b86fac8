import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (package `chromium`); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts headless Chromium for a browser test; no network beyond 127.0.0.1 is needed or used. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--lang=de-DE',
    ],
  });
}

/**
 * axe-core with the WCAG 2.1 A and AA rules; each violation as "rule: help (targets)" for a readable diff. Legacy
 * mode runs axe in the page in one call instead of finishing the run in a second, blank page: half the time, and
 * the same result for pages without cross-origin frames (the web app has no frames at all).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode(true)
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/**
 * The screenshots of the docs (`docs/screenshots/<name>`) are taken where a browser test reaches the screen, but
 * written only with `UPDATE_SCREENSHOTS=1`, so an ordinary test run leaves the committed pictures alone.
 */
export async function documentationScreenshot(page: Page, name: string, fullPage = true): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage });
}
