import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, documentationScreenshot, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { incidentProcedure } from '../support/incident-procedure.ts';

describe('admin console in the browser', () => {
  let rig: Harness;
  let browser: Browser;
  let admin: string;

  /** Makes an incident: the Fachverfahren answers 500 to the only attempt. */
  async function incident(text: string) {
    rig.doubles.fachverfahren.failNext(1, '500');
    const res = await rig.call('POST', '/api/applications', { body: { procedure: 'stoerung-test', data: { text } } });
    await rig.settle();
    return { caseId: res.body.caseId as string, caseNumber: res.body.caseNumber as string };
  }

  /** A page signed in as the admin (session cookie), in German or English. */
  async function adminPage(language: 'de' | 'en' = 'de'): Promise<Page> {
    const context = await browser.newContext({ locale: language === 'de' ? 'de-DE' : 'en-GB' });
    await context.addCookies([{ name: 'session', value: admin, url: rig.url }]);
    if (language === 'en') await context.addInitScript(() => localStorage.setItem('verfahrenswerk.sprache', 'en'));
    return context.newPage();
  }

  beforeAll(async () => {
    rig = await startHarness();
    browser = await launchBrowser();
    admin = await rig.login('admin');
    const owner = await rig.login('prozess');
    await rig.call('POST', '/api/procedures', { token: owner, body: incidentProcedure });
    await rig.call('POST', '/api/procedures/stoerung-test/publish', { token: owner });
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it('configures a connector secret that no later response or page shows, and runs its health check', async () => {
    const secret = 'GEHEIM-postbox-4711-xyz';
    const p = await adminPage();
    const bodies: string[] = [];
    p.on('response', async (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/')) bodies.push(await response.text().catch(() => ''));
    });
    await p.goto(`${rig.url}/admin/anbindungen`);
    const postbox = p.getByRole('region', { name: /postbox@1/ });
    await postbox.getByRole('button', { name: 'Einrichtung bearbeiten' }).click();
    await postbox.getByLabel('baseUrl').waitFor();
    await postbox.getByLabel('apiKey').fill(secret);
    await postbox.getByRole('button', { name: 'Einrichtung speichern' }).click();
    await postbox.getByText('Einrichtung gespeichert.').waitFor();
    expect(await postbox.getByLabel('apiKey').inputValue()).toBe('');
    expect((await rig.services.connectorConfigs.load('demo', 'postbox@1'))?.secrets.apiKey).toBe(secret);

    await postbox.getByRole('button', { name: 'Verbindung prüfen' }).click();
    await postbox.getByRole('status').getByText('Verbindung in Ordnung').waitFor();
    const fachverfahren = p.getByRole('region', { name: /fachverfahren-http@1/ });
    rig.doubles.fachverfahren.failNext(1, '500');
    await fachverfahren.getByRole('button', { name: 'Verbindung prüfen' }).click();
    await fachverfahren.getByRole('status').getByText('Verbindung gestört').waitFor();
    const pdf = p.getByRole('region', { name: /document-pdf@1/ });
    await pdf.getByRole('button', { name: 'Verbindung prüfen' }).click();
    await pdf
      .getByRole('status')
      .getByText(/Einrichtung vollständig/)
      .waitFor();

    await p.reload();
    await postbox.getByRole('button', { name: 'Einrichtung bearbeiten' }).click();
    await postbox.getByText('gesetzt', { exact: true }).first().waitFor();
    expect(await postbox.getByLabel('apiKey').inputValue()).toBe('');
    expect(await p.content()).not.toContain(secret);
    expect(bodies.length).toBeGreaterThan(4);
    expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
    await p.context().close();
  });

  it('lists incidents, retries one with a corrected input, retries several at once and cancels a case', async () => {
    const edited = await incident('Tippfehler');
    const cancelled = await incident('Abbrechen');
    const bulk = [await incident('Eins'), await incident('Zwei')];
    const p = await adminPage();
    await p.setViewportSize({ width: 1400, height: 900 });
    await p.goto(`${rig.url}/admin/stoerungen`);
    await p.getByRole('table', { name: '4 offene Störungen' }).waitFor();
    await documentationScreenshot(p, 'admin-incidents.png');

    await p.getByRole('button', { name: `Eingabe ändern ${edited.caseNumber}` }).click();
    const input = p.getByLabel('Eingabe (JSON)');
    await expect(input.inputValue()).resolves.toContain('Tippfehler');
    await input.fill('{"messageType": ""');
    await p.getByRole('button', { name: 'Mit dieser Eingabe erneut versuchen' }).click();
    await p.getByRole('alert').getByText('Die Eingabe ist kein gültiges JSON-Objekt.').waitFor();
    await input.fill('{"messageType": "", "payload": {}}');
    await p.getByRole('button', { name: 'Mit dieser Eingabe erneut versuchen' }).click();
    await p
      .getByRole('alert')
      .getByText(/input\.messageType/)
      .waitFor();
    await input.fill('{"messageType": "meldung", "payload": {"text": "Korrigiert"}}');
    await p.getByRole('button', { name: 'Mit dieser Eingabe erneut versuchen' }).click();
    await p.getByRole('status').getByText(`Aufruf für ${edited.caseNumber} wieder eingeplant.`).waitFor();
    await p.getByRole('table', { name: '3 offene Störungen' }).waitFor();

    // Cancelling by keyboard: the confirmation takes focus, the next Tab stop confirms.
    await p.getByRole('button', { name: `Vorgang abbrechen ${cancelled.caseNumber}` }).focus();
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: `Vorgang ${cancelled.caseNumber} abbrechen?` }).waitFor();
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('abbruch-titel');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    await p.getByRole('status').getByText(`Vorgang ${cancelled.caseNumber} abgebrochen.`).waitFor();

    await p.getByRole('checkbox', { name: 'Alle Störungen auswählen' }).check();
    await p.getByRole('button', { name: 'Ausgewählte erneut versuchen (2)' }).click();
    await p.getByRole('status').getByText('2 Störungen wieder eingeplant.').waitFor();
    await p.getByText('Keine offenen Störungen.').waitFor();

    await rig.settle();
    for (const { caseId } of [edited, ...bulk]) {
      expect((await rig.call('GET', `/api/cases/${caseId}`, { token: admin })).body.state).toBe('warten');
    }
    expect((await rig.call('GET', `/api/cases/${cancelled.caseId}`, { token: admin })).body.status).toBe('cancelled');

    await p
      .getByRole('navigation', { name: 'Bereiche der Verwaltung' })
      .getByRole('link', { name: 'Vorgänge' })
      .click();
    await p.getByLabel('Aktenzeichen').fill(cancelled.caseNumber.toLowerCase());
    await p.getByRole('button', { name: 'Suchen' }).click();
    await p.getByRole('status').getByText('1 Vorgang gefunden').waitFor();
    await p.getByRole('link', { name: cancelled.caseNumber }).click();
    await p.getByRole('heading', { level: 1, name: `Vorgang ${cancelled.caseNumber}` }).waitFor();
    const history = p.getByRole('table', { name: 'Verlauf' });
    await history.getByRole('cell', { name: 'cancelled', exact: true }).waitFor();
    await history.getByRole('cell', { name: 'incident', exact: true }).waitFor();
    await p.context().close();
  });

  it('creates a user, and locking them out ends their session at once', async () => {
    const p = await adminPage();
    await p.goto(`${rig.url}/admin/benutzer`);
    await p.getByLabel('Benutzername').fill('pruefer');
    await p.getByLabel('Erstes Passwort').fill('pruef-passwort');
    await p.getByRole('group', { name: 'Rollen' }).getByLabel('Sachbearbeitung').check();
    await p.getByRole('button', { name: 'Benutzer anlegen' }).click();
    await p.getByRole('status').getByText('Benutzer pruefer angelegt.').waitFor();
    const token = await rig.login('pruefer', 'pruef-passwort');
    expect((await rig.call('GET', '/api/auth/me', { token })).status).toBe(200);

    await p.getByRole('button', { name: 'Sperren pruefer' }).click();
    await p.getByRole('status').getByText('pruefer ist gesperrt und abgemeldet.').waitFor();
    expect((await rig.call('GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await rig.call('GET', '/api/tasks?scope=mine', { token })).status).toBe(401);
    await p.getByRole('button', { name: 'Entsperren pruefer' }).click();
    await p.getByRole('status').getByText('pruefer ist wieder zugelassen.').waitFor();
    expect((await rig.call('GET', '/api/auth/me', { token })).status).toBe(401);
    expect(
      (await rig.call('POST', '/api/auth/login', { body: { username: 'pruefer', password: 'pruef-passwort' } })).status,
    ).toBe(200);
    await p.context().close();
  });

  it('creates a group, puts a user in it with another role, and creates a tenant with its first admin', async () => {
    const p = await adminPage();
    await p.goto(`${rig.url}/admin/benutzer`);
    await p.getByLabel('Name der Gruppe').fill('Testgruppe');
    await p.getByRole('button', { name: 'Gruppe anlegen' }).click();
    await p.getByRole('status').getByText('Gruppe Testgruppe angelegt.').waitFor();
    await p.getByRole('button', { name: 'Rollen und Gruppen sachbearbeitung' }).click();
    const access = p.getByRole('region', { name: 'Rollen und Gruppen von sachbearbeitung' });
    await access.getByRole('group', { name: 'Rollen' }).getByLabel('Verfahrensverantwortung').check();
    await access.getByRole('group', { name: 'Gruppen' }).getByLabel('Testgruppe').check();
    await access.getByRole('button', { name: 'Speichern' }).click();
    await p.getByRole('status').getByText('Rollen und Gruppen von sachbearbeitung gespeichert.').waitFor();
    const users = (await rig.call('GET', '/api/admin/users', { token: admin })).body;
    expect(users.find((u: { username: string }) => u.username === 'sachbearbeitung')).toMatchObject({
      roles: ['caseworker', 'process-owner'],
      groups: expect.arrayContaining(['Testgruppe']),
    });

    await p
      .getByRole('navigation', { name: 'Bereiche der Verwaltung' })
      .getByRole('link', { name: 'Mandanten' })
      .click();
    await p.getByLabel('Kennung').fill('Falsch!');
    await p.getByRole('button', { name: 'Mandanten anlegen' }).click();
    await p.getByRole('alert').getByRole('link', { name: /^id:/ }).click();
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('mandant-kennung');
    await p.getByLabel('Kennung').fill('nachbarstadt');
    await p.getByLabel('Name', { exact: true }).fill('Nachbarstadt');
    await p.getByLabel('Bundesland (Feiertage)').selectOption('BY');
    await p.getByLabel('Benutzername des ersten Administrators').fill('nb-admin');
    await p.getByLabel('Erstes Passwort des Administrators').fill('geheim-123');
    await p.getByRole('button', { name: 'Mandanten anlegen' }).click();
    await p.getByRole('status').getByText('Mandant Nachbarstadt angelegt.').waitFor();
    await p.getByRole('table', { name: '2 Mandanten' }).getByRole('rowheader', { name: 'nachbarstadt' }).waitFor();
    expect(
      (await rig.call('GET', '/api/auth/me', { token: await rig.login('nb-admin', 'geheim-123') })).body,
    ).toMatchObject({
      tenant: 'nachbarstadt',
    });
    await p.context().close();
  });

  it('edits the own tenant’s contact for reporting barriers, which the portal’s accessibility statement shows', async () => {
    const p = await adminPage();
    await p.goto(`${rig.url}/admin/mandanten`);
    const section = p.getByRole('region', { name: 'Kontakt für Barrieremeldungen' });
    const email = section.getByLabel('E-Mail-Adresse');
    await expect.poll(() => email.inputValue()).toBe('barrierefreiheit@musterstadt.example');
    await email.fill('feedback-at-musterstadt');
    await section.getByRole('button', { name: 'Kontakt speichern' }).click();
    const summary = section.getByRole('alert').filter({ hasText: 'Bitte korrigieren Sie folgende Angaben' });
    await summary.getByRole('link', { name: /^email: Bitte eine gültige E-Mail-Adresse/ }).click();
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('kontakt-email');
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    await email.fill('feedback@musterstadt.example');
    await section.getByLabel('Telefon').fill('02131 9876-55');
    await section.getByLabel('Postanschrift').fill('Stadt Musterstadt\nBürgerbüro\n\nMarkt 3\n41460 Musterstadt');
    await section.getByLabel('Erklärung erstellt oder zuletzt überprüft am').fill('2026-11-20');
    await section.getByRole('button', { name: 'Kontakt speichern' }).click();
    await section.getByRole('status').filter({ hasText: 'Kontakt gespeichert.' }).waitFor();

    await p.goto(`${rig.url}/barrierefreiheit`);
    const contact = p.getByTestId('feedback-kontakt');
    await contact.waitFor();
    await expect(
      contact.getByRole('link', { name: 'feedback@musterstadt.example' }).getAttribute('href'),
    ).resolves.toBe('mailto:feedback@musterstadt.example');
    await expect(contact.getByRole('link', { name: '02131 9876-55' }).getAttribute('href')).resolves.toBe(
      'tel:02131987655',
    );
    await expect(contact.locator('address span').allTextContents()).resolves.toEqual([
      'Stadt Musterstadt',
      'Bürgerbüro',
      'Markt 3',
      '41460 Musterstadt',
    ]);
    await p.getByText('Die Verwaltung Musterstadt hat diese Erklärung am 20. November 2026 erstellt').waitFor();
    await p.context().close();
  }, 120_000);

  it.each(['de', 'en'] as const)(
    'has no axe-core WCAG 2.1 A/AA violations on any admin page in %s',
    async (language) => {
      const open = await incident(`Für die Prüfung (${language})`);
      {
        const p = await adminPage(language);
        for (const path of [
          '/admin',
          '/admin/anbindungen',
          '/admin/stoerungen',
          '/admin/benutzer',
          '/admin/mandanten',
          '/admin/vorgaenge?procedure=stoerung-test',
          `/admin/vorgaenge/${open.caseId}`,
        ]) {
          await p.goto(`${rig.url}${path}`);
          await p.locator('h1').waitFor();
          await p
            .getByText(language === 'de' ? 'Wird geladen …' : 'Loading …')
            .first()
            .waitFor({ state: 'detached' });
          expect(await p.evaluate(() => document.documentElement.lang)).toBe(language);
          expect(await axeViolations(p), `${language} ${path}`).toEqual([]);
        }
        // The generated configuration form and the incident's input form are checked too.
        await p.goto(`${rig.url}/admin/anbindungen`);
        await p
          .getByRole('region', { name: /email-smtp@1/ })
          .getByRole('button')
          .first()
          .click();
        await p.locator('#anbindung-email-smtp-1-host').waitFor();
        expect(await axeViolations(p), `${language} connector form`).toEqual([]);
        await p.goto(`${rig.url}/admin/stoerungen`);
        await p
          .getByRole('button', { name: new RegExp(`${open.caseNumber}$`) })
          .nth(1)
          .click();
        await p.locator('textarea').waitFor();
        expect(await axeViolations(p), `${language} incident input form`).toEqual([]);
        // The tenant's contact form with field errors.
        await p.goto(`${rig.url}/admin/mandanten`);
        await p.locator('#kontakt-email').fill('kein-at');
        await p.locator('#kontakt-telefon').fill('');
        await p.locator('#kontakt-email').press('Enter');
        await p.locator('#kontakt-telefon-fehler').waitFor();
        expect(await axeViolations(p), `${language} tenant contact form with errors`).toEqual([]);
        await p.context().close();
      }
    },
    120_000,
  );
});
