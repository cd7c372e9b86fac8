import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Harness } from '../support/harness.ts';

/** A wide browser page signed in as the demo process owner, on the procedure list. */
export async function signedIn(rig: Harness, browser: Browser, language: 'de' | 'en' = 'de'): Promise<Page> {
  const context = await browser.newContext({
    locale: language === 'de' ? 'de-DE' : 'en-GB',
    viewport: { width: 1600, height: 1000 },
  });
  if (language === 'en') await context.addInitScript(() => localStorage.setItem('verfahrenswerk.sprache', 'en'));
  const p = await context.newPage();
  await p.goto(`${rig.url}/login`);
  const password = p.getByLabel(language === 'de' ? 'Passwort' : 'Password');
  await p.getByLabel(language === 'de' ? 'Benutzername' : 'User name').fill('prozess');
  await password.fill('demo');
  await password.press('Enter');
  await p.waitForURL(`${rig.url}/designer`);
  return p;
}

/** "Neues Verfahren" on the list page; waits for the editor of the empty draft. */
export async function createProcedure(rig: Harness, p: Page, title: string, key: string, prefix: string) {
  await p.goto(`${rig.url}/designer`);
  await p.getByLabel('Titel', { exact: true }).fill(title);
  await p.getByLabel('Schlüssel', { exact: true }).fill(key);
  await p.getByLabel('Präfix des Aktenzeichens').fill(prefix);
  await p.getByRole('button', { name: 'Verfahren anlegen' }).click();
  await p.waitForURL(`${rig.url}/designer/${key}`);
  await p.getByRole('toolbar').waitFor();
}

/** Saves with Ctrl+S (focus outside text fields) and reads the stored draft over the API. */
export async function savedDraft(rig: Harness, p: Page, key: string): Promise<Record<string, unknown>> {
  await p.getByRole('toolbar').getByRole('button', { name: 'Entwurf speichern' }).focus();
  await p.keyboard.press('Control+s');
  await p
    .getByRole('status')
    .filter({ hasText: /^Gespeichert$/ })
    .waitFor();
  const token = await rig.login('prozess');
  const reply = await rig.call('GET', `/api/procedures/${key}/export?format=json`, { token });
  expect(reply.status).toBe(200);
  return reply.body as Record<string, unknown>;
}
