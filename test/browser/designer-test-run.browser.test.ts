import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRunners } from '../../server/runners.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { waitingProcedure as waiting } from '../support/waiting-procedure.ts';
import { signedIn } from './designer.support.ts';

describe('designer: test run in the sandbox, task forms in the simulator, unsaved-changes warning', () => {
  let rig: Harness;
  let browser: Browser;
  let runners: { stop(): Promise<void> };
  let sample: Record<string, unknown>;

  beforeAll(async () => {
    rig = await startHarness();
    runners = startRunners(rig.services, { jobIntervalMs: 50, timerIntervalMs: 200 });
    browser = await launchBrowser();
    const workflow = (await loadWorkflows()).find((w) => w.key === 'hundeanmeldung')!;
    sample = workflow.samples.find((s) => /Erster Hund/.test(s.title))!.data;
  });
  afterAll(async () => {
    await browser?.close();
    await runners?.stop();
    await rig?.close();
  });

  /** On the test-run view: enters the sample application as JSON and starts; waits for the first task's form. */
  async function startTestRun(p: Page, en = false) {
    await p.goto(`${rig.url}/designer/hundeanmeldung/testlauf`);
    await p.getByLabel(en ? 'As JSON' : 'Als JSON').check();
    await p.getByLabel(en ? 'Application data (JSON)' : 'Antragsdaten (JSON)').fill(JSON.stringify(sample));
    await p.getByRole('button', { name: en ? 'Start test run' : 'Testlauf starten' }).click();
    await p.getByRole('heading', { name: /\(Steueramt\)$/ }).waitFor();
  }

  it('starts a test run from the test-run view, completes its tasks by keyboard and sees it finish', async () => {
    const p = await signedIn(rig, browser);
    await p.goto(`${rig.url}/designer/hundeanmeldung/testlauf`);
    await p.getByRole('heading', { level: 2, name: 'Testlauf' }).waitFor();
    await p.getByRole('button', { name: 'Testlauf starten' }).click();
    await p.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie die Antragsdaten' }).waitFor();

    await startTestRun(p);
    const status = p.getByRole('status').filter({ hasText: 'Aktueller Zustand' });
    await expect(status.textContent()).resolves.toContain('läuft');
    await expect(p.locator('.react-flow__node:has(.is-current)').getAttribute('data-id')).resolves.toBe('review');
    await expect(p.getByRole('table', { name: 'Aufrufe der Anbindungen' }).textContent()).resolves.toContain(
      'fachverfahren-http@1 send',
    );

    await p.getByLabel('Prüfvermerk (intern)').focus();
    await p.keyboard.type('Im Testlauf geprüft.');
    await p.getByRole('button', { name: 'Abschließen: Steuerbescheid erlassen' }).focus();
    await p.keyboard.press('Enter');

    const tag = p.getByLabel('Nummer der Hundesteuermarke');
    await tag.waitFor();
    await p.getByRole('button', { name: 'Abschließen: Erledigt' }).focus();
    await p.keyboard.press('Enter');
    const summary = p.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie das Formular der Aufgabe' });
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('Nummer der Hundesteuermarke');
    await tag.focus();
    await p.keyboard.type('M-17');
    await p.keyboard.press('Tab');
    await p.keyboard.type('02.03.2026');
    await p.getByRole('button', { name: 'Abschließen: Erledigt' }).focus();
    await p.keyboard.press('Enter');

    await status.filter({ hasText: 'abgeschlossen' }).waitFor();
    await expect(p.locator('.react-flow__node:has(.is-current)').getAttribute('data-id')).resolves.toBe('closed');
    const history = await p.locator('.vw-test-run__case .vw-simulator__history').textContent();
    expect(history).toContain('task:approve');
    expect(history).toContain('„Abgeschlossen“');
    const cases = await rig.services.queries.cases({ tenantId: 'demo-sandbox', limit: 10, offset: 0 });
    expect(cases.find((c) => c.state === 'closed')?.snapshot.context.vars).toMatchObject({
      reviewNote: 'Im Testlauf geprüft.',
      tagNumber: 'M-17',
      tagSentOn: '2026-03-02',
    });
    expect(await rig.services.queries.cases({ tenantId: 'demo', limit: 10, offset: 0 })).toEqual([]);
    await p.context().close();
  }, 180_000);

  it('sends a waiting test run a message with data and lets its deadline run out now', async () => {
    const token = await rig.login('prozess');
    const saved = await rig.call('POST', '/api/procedures', { token, body: waiting });
    expect(saved.body.problems).toEqual([]);
    const p = await signedIn(rig, browser);
    await p.goto(`${rig.url}/designer/unterlagen-test/testlauf`);
    await p.getByLabel('Name', { exact: true }).fill('Erika');
    await p.getByRole('button', { name: 'Testlauf starten' }).click();
    const send = p.getByRole('button', { name: 'Nachricht „documents.received“ senden' });
    await send.waitFor();
    const data = p.getByLabel('Daten der Nachricht (JSON)');
    await data.fill('[1]');
    await send.click();
    await p.getByText('Die Daten der Nachricht müssen ein JSON-Objekt sein').waitFor();
    await expect(data.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await axeViolations(p), 'message with an error').toEqual([]);
    await data.fill('{"pages": 3}');
    await send.click();
    await p.getByRole('status').filter({ hasText: 'abgeschlossen' }).waitFor();
    expect(JSON.parse((await p.locator('.vw-simulator__vars').textContent()) ?? '{}')).toMatchObject({ pages: 3 });
    await expect(p.locator('.react-flow__node:has(.is-current)').getAttribute('data-id')).resolves.toBe('complete');

    await p.getByRole('button', { name: 'Neuen Testlauf starten' }).click();
    await p.getByRole('button', { name: /^Frist \(fällig .+\) jetzt ablaufen lassen$/ }).click();
    await p.getByRole('status').filter({ hasText: 'abgeschlossen' }).waitFor();
    await expect(p.locator('.react-flow__node:has(.is-current)').getAttribute('data-id')).resolves.toBe('expired');
    await p.context().close();
  }, 120_000);

  it('completes a simulated task through its form: the portal validator first, then the data goes into the case', async () => {
    const p = await signedIn(rig, browser);
    await p.goto(`${rig.url}/designer/hundeanmeldung/simulation`);
    await p.getByLabel('Antragsdaten (JSON)').fill(JSON.stringify(sample));
    await p.getByRole('button', { name: 'Simulation starten' }).click();
    await p.getByRole('button', { name: 'Ereignis „done“' }).click();
    await p.getByRole('button', { name: 'Abschließen: Steuerbescheid erlassen' }).click();
    await p.getByRole('button', { name: 'Ereignis „done“' }).click();
    await p.getByRole('button', { name: 'Ereignis „done“' }).click();
    await p.getByRole('button', { name: 'Abschließen: Erledigt' }).click();
    await p.getByRole('alert').filter({ hasText: 'Nummer der Hundesteuermarke' }).waitFor();
    await expect(p.locator('.react-flow__node:has(.is-current)').getAttribute('data-id')).resolves.toBe('sendTaxTag');
    await p.getByLabel('Nummer der Hundesteuermarke').fill('S-4');
    await p.getByLabel('Versandt am').fill('01.03.2026');
    await p.getByRole('button', { name: 'Abschließen: Erledigt' }).click();
    await p.locator('.react-flow__node[data-id="closed"]:has(.is-current)').waitFor();
    const vars = JSON.parse((await p.locator('.vw-simulator__vars').textContent()) ?? '{}');
    expect(vars).toMatchObject({ tagNumber: 'S-4', tagSentOn: '2026-03-01' });
    await p.context().close();
  }, 120_000);

  it('asks before unsaved edits are lost: in-app navigation, reload and close; never once saved', async () => {
    const p = await signedIn(rig, browser);
    await p.goto(`${rig.url}/designer/sperrmuell`);
    await p.getByRole('toolbar').waitFor();
    await p.getByRole('navigation', { name: 'Hinzufügen' }).getByRole('button', { name: 'Aufgabe hinzufügen' }).click();
    await p.getByRole('status').filter({ hasText: 'Ungespeicherte Änderungen' }).waitFor();
    await p.getByRole('link', { name: 'Simulation' }).click();
    await p.waitForURL(`${rig.url}/designer/sperrmuell/simulation`);

    const dialog = p.getByRole('dialog', { name: 'Ungespeicherte Änderungen' });
    await p.getByRole('link', { name: 'Zurück zur Verfahrensliste' }).click();
    await dialog.waitFor();
    await expect.poll(() => p.evaluate(() => document.activeElement?.textContent)).toBe('Weiter bearbeiten');
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(p.url()).toBe(`${rig.url}/designer/sperrmuell/simulation`);
    await p.getByRole('link', { name: 'Zurück zur Verfahrensliste' }).click();
    await dialog.getByRole('button', { name: 'Verlassen und Änderungen verwerfen' }).click();
    await p.waitForURL(`${rig.url}/designer`);

    await p.goto(`${rig.url}/designer/sperrmuell`);
    await p.getByRole('navigation', { name: 'Hinzufügen' }).getByRole('button', { name: 'Ende hinzufügen' }).click();
    const asked = new Promise<string>((resolve) =>
      p.once('dialog', (d) => {
        resolve(d.type());
        void d.accept();
      }),
    );
    await p.close({ runBeforeUnload: true });
    await expect(asked).resolves.toBe('beforeunload');

    const q = await p.context().newPage();
    await q.goto(`${rig.url}/designer/sperrmuell`);
    await q.getByRole('navigation', { name: 'Hinzufügen' }).getByRole('button', { name: 'Ende hinzufügen' }).click();
    await q.getByRole('toolbar').getByRole('button', { name: 'Entwurf speichern' }).focus();
    await q.keyboard.press('Control+s');
    await q
      .getByRole('status')
      .filter({ hasText: /^Gespeichert$/ })
      .waitFor();
    await q.getByRole('link', { name: 'Zurück zur Verfahrensliste' }).click();
    await q.waitForURL(`${rig.url}/designer`);
    let questions = 0;
    q.on('dialog', (d) => {
      questions++;
      void d.accept();
    });
    await q.goto(`${rig.url}/designer/sperrmuell`);
    await q.getByRole('toolbar').waitFor();
    await Promise.all([q.waitForEvent('close'), q.close({ runBeforeUnload: true })]);
    expect(questions).toBe(0);
    await q.context().close();
  }, 120_000);

  for (const language of ['de', 'en'] as const) {
    it(`has no axe-core WCAG 2.1 A/AA violations on the test-run view and the leave dialog (${language})`, async () => {
      const en = language === 'en';
      const p = await signedIn(rig, browser, language);
      await p.goto(`${rig.url}/designer/hundeanmeldung/testlauf`);
      await p.getByRole('button', { name: en ? 'Start test run' : 'Testlauf starten' }).waitFor();
      expect(await axeViolations(p), 'start form').toEqual([]);
      await startTestRun(p, en);
      await p.getByRole('table').waitFor();
      expect(await axeViolations(p), 'running test run').toEqual([]);
      await p.getByRole('button', { name: en ? 'Tidy up' : 'Aufräumen' }).click();
      await p.getByRole('link', { name: en ? 'Back to the procedure list' : 'Zurück zur Verfahrensliste' }).click();
      await p.getByRole('dialog').waitFor();
      expect(await axeViolations(p), 'leave dialog').toEqual([]);
      await p.keyboard.press('Escape');
      await p.context().close();
    }, 300_000);
  }
});
