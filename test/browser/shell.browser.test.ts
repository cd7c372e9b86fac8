import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';

describe('web app shell: portal start page, staff sign-in, areas by role', () => {
  let rig: Harness;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startHarness();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  async function page(language: 'de' | 'en' = 'de'): Promise<Page> {
    const context = await browser.newContext({ locale: language === 'de' ? 'de-DE' : 'en-GB' });
    const p = await context.newPage();
    if (language === 'en') await context.addInitScript(() => localStorage.setItem('verfahrenswerk.sprache', 'en'));
    return p;
  }

  it('serves the web app on the API port: the start page is the service catalogue, search finds synonyms', async () => {
    const p = await page();
    await p.goto(`${rig.url}/`);
    await expect(p.getByRole('heading', { level: 1, name: 'Bürgerservice' }).isVisible()).resolves.toBe(true);
    await p.getByLabel('Leistung suchen').fill('hund anmelden');
    await p.getByRole('status').filter({ hasText: '1 Leistung gefunden' }).waitFor();
    const titles = await p.getByRole('heading', { level: 3 }).allTextContents();
    expect(titles).toEqual(['Hund anmelden (Hundesteuer)']);
    expect(p.url()).toContain('suche=hund+anmelden');
    await p.context().close();
  });

  it('signs staff in at /login and lands each role in its area; /inbox without a session asks for sign-in', async () => {
    const p = await page();
    await p.goto(`${rig.url}/inbox`);
    await p.waitForURL(/\/login\?weiter=%2Finbox/);
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await expect(p.getByRole('alert').first().textContent()).resolves.toContain('Bitte geben Sie Benutzername ein.');
    await p.getByLabel('Benutzername').fill('sachbearbeitung');
    await p.getByLabel('Passwort').fill('falsch');
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await p.getByText('Benutzername oder Passwort falsch.').first().waitFor();
    await p.getByLabel('Passwort').fill('demo');
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await p.waitForURL(`${rig.url}/inbox`);
    await p.getByRole('button', { name: /Abmelden/ }).click();
    await p.waitForURL(`${rig.url}/login`);
    await p.goto(`${rig.url}/admin`);
    await p.waitForURL(/\/login/);
    await p.context().close();

    for (const [user, area] of [
      ['prozess', '/designer'],
      ['admin', '/admin'],
    ] as const) {
      const q = await page();
      await q.goto(`${rig.url}/login`);
      await q.getByLabel('Benutzername').fill(user);
      await q.getByLabel('Passwort').fill('demo');
      await q.getByLabel('Passwort').press('Enter');
      await q.waitForURL(`${rig.url}${area}`);
      await q.goto(`${rig.url}/inbox`);
      await q.getByRole('heading', { name: 'Kein Zugriff' }).waitFor();
      await q.context().close();
    }
  });

  it('works by keyboard: the skip link is the first stop and moves focus to the main content', async () => {
    const p = await page();
    await p.goto(`${rig.url}/login`);
    await p.locator('h1').waitFor();
    await p.keyboard.press('Tab');
    await expect(p.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Zum Inhalt springen');
    await p.keyboard.press('Enter');
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('inhalt');
    await p.context().close();
  });

  it('answers unknown page paths with the app and unknown API paths with problem+json', async () => {
    const page404 = await fetch(`${rig.url}/gibt-es-nicht`);
    expect(page404.headers.get('content-type')).toContain('text/html');
    expect(page404.headers.get('content-security-policy')).toContain("default-src 'self'");
    const api404 = await fetch(`${rig.url}/api/gibt-es-nicht`);
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toContain('application/problem+json');
    const asset404 = await fetch(`${rig.url}/assets/fehlt.js`);
    expect(asset404.status).toBe(404);
    const p = await page();
    await p.goto(`${rig.url}/gibt-es-nicht`);
    await p.getByRole('heading', { name: 'Seite nicht gefunden' }).waitFor();
    await p.context().close();
  });

  it('has no axe-core WCAG 2.1 A/AA violations on the start page and the sign-in page, in German and English', async () => {
    for (const language of ['de', 'en'] as const) {
      const p = await page(language);
      for (const path of ['/', '/login', '/gibt-es-nicht']) {
        await p.goto(`${rig.url}${path}`);
        await p.locator('h1').waitFor();
        expect(await p.evaluate(() => document.documentElement.lang)).toBe(language);
        expect(await axeViolations(p), `${language} ${path}`).toEqual([]);
      }
      await p.context().close();
    }
  });
});
