import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, documentationScreenshot, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';

describe('caseworker inbox in the browser', { timeout: 90_000 }, () => {
  let rig: Harness;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    rig = await startHarness();
    browser = await launchBrowser();
    admin = await rig.login('admin');
    const res = await rig.call('POST', '/api/admin/users', {
      token: admin,
      body: { username: 'kollege', password: 'demo-demo', roles: ['caseworker'], groups: ['Bauhof'] },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  /** Files a report of a road damage (the Bauhof triages it) and returns its case number and task id. */
  async function report(street: string, email?: string) {
    const res = await rig.call('POST', '/api/applications', {
      body: {
        procedure: 'maengelmelder',
        data: {
          report: { category: 'roadDamage', description: `Schlagloch vor ${street}, gefährlich für Radfahrende.` },
          location: { kind: 'address', street },
          ...(email ? { contact: { email } } : {}),
        },
      },
    });
    expect(res.status).toBe(201);
    await rig.settle();
    const detail = await rig.call('GET', `/api/cases/${res.body.caseId}`, { token: admin });
    return {
      caseId: res.body.caseId as string,
      caseNumber: res.body.caseNumber as string,
      taskId: detail.body.tasks[0].id as string,
    };
  }

  async function signedIn(username = 'sachbearbeitung', password = 'demo', language: 'de' | 'en' = 'de') {
    const context = await browser.newContext({ locale: language === 'de' ? 'de-DE' : 'en-GB' });
    if (language === 'en') await context.addInitScript(() => localStorage.setItem('verfahrenswerk.sprache', 'en'));
    const page = await context.newPage();
    await page.goto(`${rig.url}/login?weiter=%2Finbox`);
    await page.locator('input[autocomplete="username"], input[name="username"]').first().fill(username);
    await page.locator('input[type="password"]').fill(password);
    await page.locator('input[type="password"]').press('Enter');
    await page.waitForURL(`${rig.url}/inbox`);
    return page;
  }

  const caseState = async (caseId: string) =>
    (await rig.call('GET', `/api/cases/${caseId}`, { token: admin })).body.state;

  it('a caseworker finds a task in the group queue, claims it, sees the error summary and completes it', async () => {
    const first = await report('Hauptstraße 5', 'melder@example.org');
    await report('Bahnhofstraße 12');
    const page = await signedIn();
    await page.getByRole('link', { name: 'Gruppe', exact: true }).click();
    await page.waitForURL(/ansicht=gruppe/);
    const row = page.getByRole('row').filter({ hasText: first.caseNumber });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('melder@example.org');

    await page.getByLabel('Suche (Aktenzeichen, Aufgabe, Antragsteller:in)').fill('melder@');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('status').filter({ hasText: '1 Aufgabe' }).waitFor();
    expect(page.url()).toContain('suche=melder%40');
    await page.reload();
    await page.getByRole('status').filter({ hasText: '1 Aufgabe' }).waitFor();
    await expect(page.getByLabel('Suche (Aktenzeichen, Aufgabe, Antragsteller:in)').inputValue()).resolves.toBe(
      'melder@',
    );
    await page.getByLabel(`Auswählen: Meldung sichten, ${first.caseNumber}`).check();
    await page.reload();
    await expect(page.getByLabel(`Auswählen: Meldung sichten, ${first.caseNumber}`).isChecked()).resolves.toBe(true);
    await page.getByLabel(`Auswählen: Meldung sichten, ${first.caseNumber}`).uncheck();
    await page.getByLabel('Suche (Aktenzeichen, Aufgabe, Antragsteller:in)').fill('');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('status').filter({ hasText: '2 Aufgaben' }).waitFor();
    await documentationScreenshot(page, 'inbox-list.png');

    await row.getByRole('link', { name: 'Meldung sichten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Meldung sichten' }).waitFor();
    await page.getByText('Aktueller Schritt: Meldung sichten').waitFor();
    await page.getByRole('button', { name: 'Übernehmen', exact: true }).click();
    await page.getByRole('heading', { name: 'Aufgabe bearbeiten' }).waitFor();
    await page.getByLabel('Neue Notiz').fill('Ortstermin am Montag.');
    await page.getByRole('button', { name: 'Notiz speichern' }).click();
    await page.getByText('Ortstermin am Montag.').waitFor();
    await page.getByRole('button', { name: 'Aufgabe abschließen' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Ergebnis: Bitte wählen Sie ein Ergebnis.' });
    await summary.waitFor();
    await documentationScreenshot(page, 'inbox-task-detail.png');
    await page.getByLabel('Annehmen').check();
    // Correcting a field re-renders the form; the error summary must not take the focus back from it.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('type')), { timeout: 2_000 })
      .toBe('radio');
    await page.getByRole('button', { name: 'Aufgabe abschließen' }).click();
    await page.getByText('Die Aufgabe „Meldung sichten“ ist erledigt.').waitFor();
    expect(await caseState(first.caseId)).toBe('workBauhof');
    await page.context().close();
  });

  it('two caseworkers claim the same task at once: one gets it, the other sees a clear message', async () => {
    const { taskId, caseId } = await report('Lindenallee 3');
    const [a, b] = await Promise.all([signedIn(), signedIn('kollege', 'demo-demo')]);
    for (const page of [a, b]) {
      await page.goto(`${rig.url}/inbox/aufgaben/${taskId}`);
      await page.getByRole('button', { name: 'Übernehmen', exact: true }).waitFor();
    }
    await Promise.all([a, b].map((page) => page.getByRole('button', { name: 'Übernehmen', exact: true }).click()));
    const outcome = await Promise.all(
      [a, b].map((page) =>
        Promise.race([
          page
            .getByRole('heading', { name: 'Aufgabe bearbeiten' })
            .waitFor()
            .then(() => 'won'),
          page
            .getByText('Diese Aufgabe hat inzwischen jemand anderes übernommen. Die Ansicht ist aktualisiert.')
            .waitFor()
            .then(() => 'lost'),
        ]),
      ),
    );
    expect([...outcome].sort()).toEqual(['lost', 'won']);
    const winner = outcome[0] === 'won' ? a : b;

    // The winner's task is handed to the colleague behind their back: completing it is refused with a message.
    const holder = (await rig.call('GET', `/api/tasks/${taskId}`, { token: admin })).body.assignee as string;
    const other = holder === 'kollege' ? 'sachbearbeitung' : 'kollege';
    const token = await rig.login(holder, holder === 'kollege' ? 'demo-demo' : 'demo');
    const moved = await rig.call('POST', `/api/inbox/tasks/${taskId}/handover`, { token, body: { to: other } });
    expect(moved.status).toBe(200);
    const page = winner;
    await page.getByLabel('Nicht zuständig').check();
    await page.getByRole('button', { name: 'Aufgabe abschließen' }).click();
    await page
      .getByText(
        'Die Aufgabe wurde inzwischen von jemand anderem übernommen oder erledigt. Ihre Eingaben wurden nicht gespeichert.',
      )
      .waitFor();
    expect(await caseState(caseId)).toBe('triageBauhof');
    await a.context().close();
    await b.context().close();
  });

  it('works without a mouse: shortcuts help, arrow keys, selection, Enter opens, c claims, Ctrl+Enter completes', async () => {
    const { caseId } = await report('Am Markt 1');
    const page = await signedIn();
    await page.goto(`${rig.url}/inbox?ansicht=gruppe`);
    await page.getByRole('link', { name: 'Meldung sichten' }).first().waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Tastenkürzel' });
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await page.keyboard.press('j');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-row'));
    const rows = await page.locator('a[data-row]').evaluateAll((links) => links.map((l) => l.getAttribute('data-row')));
    expect(rows.length).toBeGreaterThan(1);
    await expect(focused()).resolves.toBe(rows[0]);
    await page.keyboard.press('ArrowDown');
    await expect(focused()).resolves.toBe(rows[1]);
    await page.keyboard.press(' ');
    await page.getByText('1 Aufgabe ausgewählt').waitFor();
    await page.keyboard.press('x');
    await page.getByText('0 Aufgaben ausgewählt').waitFor();
    await page.keyboard.press('ArrowUp');
    await expect(focused()).resolves.toBe(rows[0]);

    const target = (await rig.call('GET', `/api/cases/${caseId}`, { token: admin })).body.tasks[0].id as string;
    await page.locator(`a[data-row="${target}"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/inbox/aufgaben/${target}`));
    await page.getByRole('button', { name: 'Übernehmen', exact: true }).waitFor();
    await page.keyboard.press('c');
    await page.getByRole('heading', { name: 'Aufgabe bearbeiten' }).waitFor();
    for (let i = 0; i < 80; i++) {
      const name = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name);
      if (name === 'outcome') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Space');
    await expect(page.getByLabel('Annehmen').isChecked()).resolves.toBe(true);
    await page.keyboard.press('Control+Enter');
    await page.getByText('Die Aufgabe „Meldung sichten“ ist erledigt.').waitFor();
    expect(await caseState(caseId)).toBe('workBauhof');
    await page.context().close();
  });

  it('claims several tasks at once and hands them over to a colleague of the group', async () => {
    const one = await report('Gartenweg 1', 'garten.eins@example.org');
    const two = await report('Gartenweg 2', 'garten.zwei@example.org');
    const page = await signedIn();
    await page.goto(`${rig.url}/inbox?ansicht=gruppe&suche=garten.`);
    await page.getByRole('status').filter({ hasText: '2 Aufgaben' }).waitFor();
    await page.getByLabel('Alle Aufgaben dieser Seite auswählen').check();
    await page.getByText('2 Aufgaben ausgewählt').waitFor();
    await page.getByRole('button', { name: 'Ausgewählte übernehmen' }).click();
    await page.getByText('2 Aufgaben erledigt.').waitFor();
    await page.getByRole('row').filter({ hasText: one.caseNumber }).getByText('sachbearbeitung').waitFor();
    await page.getByLabel('Alle Aufgaben dieser Seite auswählen').check();
    await page.getByLabel('Ausgewählte übergeben an').selectOption('kollege');
    await page.getByRole('button', { name: 'Ausgewählte übergeben' }).click();
    await page.getByText('2 Aufgaben erledigt.').waitFor();
    await page.getByRole('row').filter({ hasText: two.caseNumber }).getByText('kollege').waitFor();
    for (const { taskId } of [one, two]) {
      expect((await rig.call('GET', `/api/tasks/${taskId}`, { token: admin })).body.assignee).toBe('kollege');
    }
    await page.context().close();
  });

  it('sorts by a column header by keyboard, both ways, and keeps the order in the URL', async () => {
    await report('Ahornweg 1');
    await report('Buchenweg 2');
    const page = await signedIn();
    await page.goto(`${rig.url}/inbox?ansicht=gruppe`);
    await page.locator('a[data-row]').nth(1).waitFor();
    const header = page.getByRole('columnheader', { name: 'Aktenzeichen' });
    await expect(header.getAttribute('aria-sort')).resolves.toBeNull();
    await expect(page.getByRole('columnheader', { name: 'Fällig am' }).getAttribute('aria-sort')).resolves.toBe(
      'ascending',
    );
    const caseNumbers = () => page.locator('tbody tr td:nth-child(4)').allTextContents();
    // From the procedure column's button, Tab reaches the case number column's button; Enter sorts.
    await page.getByRole('button', { name: 'Verfahren', exact: true }).focus();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toContain('Aktenzeichen');
    await page.keyboard.press('Enter');
    await page.waitForURL(/sortierung=aktenzeichen$/);
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(caseNumbers).toEqual([...(await caseNumbers())].sort());
    const ascending = await caseNumbers();
    expect(ascending.length).toBeGreaterThan(1);
    await page.keyboard.press('Enter');
    await page.waitForURL(/sortierung=aktenzeichen-absteigend$/);
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(caseNumbers).toEqual([...ascending].reverse());
    await expect(page.getByRole('columnheader', { name: 'Fällig am' }).getAttribute('aria-sort')).resolves.toBeNull();
    await expect(page.getByLabel('Sortierung').inputValue()).resolves.toBe('caseNumber:desc');
    await page.reload();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(caseNumbers).toEqual([...ascending].reverse());
    await page.context().close();
  });

  it('has no axe-core WCAG 2.1 A/AA violations on the list and the task detail, in German and English', async () => {
    const { taskId } = await report('Schulweg 9', 'anwohner@example.org');
    await rig.call('POST', `/api/tasks/${taskId}/claim`, { token: await rig.login('sachbearbeitung') });
    for (const language of ['de', 'en'] as const) {
      const page = await signedIn('sachbearbeitung', 'demo', language);
      await page.goto(`${rig.url}/inbox?ansicht=gruppe`);
      await page.locator('a[data-row]').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
      expect(await axeViolations(page), `${language} list`).toEqual([]);
      await page.goto(`${rig.url}/inbox?ansicht=gruppe&sortierung=eingang-absteigend`);
      await page.locator('th[aria-sort="descending"]').waitFor();
      await page.locator('a[data-row]').first().waitFor();
      expect(await axeViolations(page), `${language} list sorted by receipt`).toEqual([]);
      await page.goto(`${rig.url}/inbox/aufgaben/${taskId}`);
      await page.locator('form fieldset input[type="radio"]').first().waitFor();
      await page.locator('.react-flow__node').first().waitFor();
      expect(await axeViolations(page), `${language} detail`).toEqual([]);
      await page.context().close();
    }
  });
});
