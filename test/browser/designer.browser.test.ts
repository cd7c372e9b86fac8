import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, documentationScreenshot, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { createProcedure, savedDraft, signedIn } from './designer.support.ts';

describe('visual designer: procedure list, canvas, inspector, outline, problems, save and publish', () => {
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

  it('lists the procedures with version and running cases; opening one shows its states on the canvas', async () => {
    const p = await signedIn(rig, browser);
    await p.getByRole('heading', { level: 1, name: 'Verfahren gestalten' }).waitFor();
    const row = p.getByRole('row', { name: /Geburtsurkunde/ });
    await expect(row.textContent()).resolves.toContain('Version 1');
    await row.getByRole('link').click();
    await p.waitForURL(`${rig.url}/designer/geburtsurkunde`);
    await p.locator('.react-flow__node').first().waitFor();
    const nodes = await p.locator('.react-flow__node').count();
    const states = await p
      .getByRole('table', { name: 'Zustände und Übergänge des Verfahrens' })
      .locator('tbody tr')
      .count();
    expect(nodes).toBe(states);
    await p
      .getByRole('heading', { name: 'Keine Probleme gefunden.' })
      .or(p.getByText('Keine Probleme gefunden.'))
      .waitFor();
    // For the docs: zoomed in on the start (the wheel zooms about the pointer), so the first states read plainly.
    const start = await p.locator('.react-flow__node[data-id="received"]').boundingBox();
    await p.mouse.move(start!.x + start!.width / 2, start!.y + start!.height / 2);
    for (let i = 0; i < 3; i++) await p.mouse.wheel(0, -300);
    const zoomed = await p.locator('.react-flow__node[data-id="received"]').boundingBox();
    expect(zoomed!.width).toBeGreaterThan(150);
    expect(zoomed!.y).toBeGreaterThan(start!.y - 100);
    await documentationScreenshot(p, 'designer-canvas-geburtsurkunde.png', false);
    await p.context().close();
  }, 120_000);

  it('works by keyboard alone: outline adds states and a transition, the inspector renames, delete removes', async () => {
    const p = await signedIn(rig, browser);
    await createProcedure(rig, p, 'Tastaturprobe', 'tastatur', 'TAS');
    const outline = p.getByRole('region', { name: 'Gliederung' });
    await outline.getByLabel('Name des Zustands').focus();
    await p.keyboard.type('Antrag prüfen');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('eig-titel');
    await outline.getByLabel('Art').focus();
    for (let i = 0; i < 5; i++) await p.keyboard.press('ArrowDown');
    await expect(outline.getByLabel('Art').inputValue()).resolves.toBe('final');
    await outline.getByLabel('Name des Zustands').focus();
    await p.keyboard.type('Erledigt');
    await p.keyboard.press('Enter');
    await outline.getByRole('button', { name: 'Übergang hinzufügen' }).focus();
    await p.keyboard.press('Enter');
    await outline.getByRole('button', { name: 'done → Erledigt' }).waitFor();

    await outline.getByRole('button', { name: 'Bearbeiten: Antrag prüfen' }).focus();
    await p.keyboard.press('Enter');
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('eig-titel');
    await p.keyboard.press('Control+a');
    await p.keyboard.type('Antrag sorgfältig prüfen');
    await p.keyboard.press('Enter');
    await outline.getByRole('rowheader', { name: /Antrag sorgfältig prüfen/ }).waitFor();

    let draft = await savedDraft(rig, p, 'tastatur');
    expect(draft.initial).toBe('antragPruefen');
    expect(draft.states).toMatchObject({
      antragPruefen: {
        kind: 'task',
        title: 'Antrag sorgfältig prüfen',
        transitions: [{ on: 'done', target: 'erledigt' }],
      },
      erledigt: { kind: 'final', title: 'Erledigt' },
    });

    // On the canvas: Tab reaches a state, Enter selects it, Delete removes it (one undo step).
    const node = p.locator('.react-flow__node[data-id="erledigt"]');
    await node.focus();
    await p.keyboard.press('Enter');
    await expect(p.locator('#eig-titel').inputValue()).resolves.toBe('Erledigt');
    await node.focus();
    await p.keyboard.press('Delete');
    await node.waitFor({ state: 'detached' });
    draft = await savedDraft(rig, p, 'tastatur');
    expect(Object.keys(draft.states as object)).toEqual(['antragPruefen']);
    expect((draft.states as Record<string, { transitions: unknown[] }>).antragPruefen!.transitions).toEqual([]);

    await outline.getByRole('button', { name: 'Löschen: Antrag sorgfältig prüfen' }).focus();
    await p.keyboard.press('Enter');
    await outline.locator('tbody tr').first().waitFor({ state: 'detached' });

    await p.keyboard.press('?');
    const dialog = p.getByRole('dialog', { name: 'Tastenkürzel' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('Strg + Umschalt + Z');
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The toolbar is one group: arrow keys move between its buttons.
    const toolbar = p.getByRole('toolbar', { name: 'Werkzeuge' });
    await toolbar.getByRole('button', { name: 'Entwurf speichern' }).focus();
    const focused = () => p.evaluate(() => document.activeElement?.textContent ?? '');
    await p.keyboard.press('ArrowRight');
    await expect.poll(focused).toBe('Veröffentlichen');
    await p.keyboard.press('ArrowLeft');
    await expect.poll(focused).toBe('Entwurf speichern');
    await p.context().close();
  }, 120_000);

  it('undoes ten mixed edits one by one to each saved intermediate definition and redoes them all', async () => {
    const p = await signedIn(rig, browser);
    await createProcedure(rig, p, 'Rückgängig-Probe', 'rueckgaengig', 'RUE');
    const outline = p.getByRole('region', { name: 'Gliederung' });
    const palette = p.getByRole('navigation', { name: 'Hinzufügen' });
    const inspector = p.getByRole('region', { name: 'Eigenschaften' });
    const commit = async (label: string, value: string) => {
      await inspector.getByLabel(label, { exact: true }).fill(value);
      await inspector.getByLabel(label, { exact: true }).press('Tab');
    };
    const edits: (() => Promise<void>)[] = [
      () => palette.getByRole('button', { name: 'Aufgabe hinzufügen' }).click(),
      () => commit('Name', 'Antrag prüfen'),
      async () => {
        await inspector.getByLabel('Zuständige Gruppe').selectOption('Steueramt');
      },
      () => inspector.getByRole('button', { name: 'Ergebnis hinzufügen' }).click(),
      () => palette.getByRole('button', { name: 'Ende hinzufügen' }).click(),
      () => commit('Öffentlicher Status', 'Erledigt'),
      () => outline.getByRole('button', { name: 'Übergang hinzufügen' }).click(),
      () => commit('Bedingung (FEEL)', 'true'),
      () => p.getByRole('button', { name: 'Aufräumen' }).click(),
      () => outline.getByRole('button', { name: 'Löschen: Abgeschlossen' }).click(),
    ];
    const seen = [await savedDraft(rig, p, 'rueckgaengig')];
    for (const edit of edits) {
      await edit();
      seen.push(await savedDraft(rig, p, 'rueckgaengig'));
    }
    expect(new Set(seen.map((d) => JSON.stringify(d))).size).toBe(11);
    for (let i = 9; i >= 0; i--) {
      await p.getByRole('button', { name: 'Rückgängig' }).focus();
      await p.keyboard.press('Control+z');
      expect(await savedDraft(rig, p, 'rueckgaengig'), `undo to ${i}`).toEqual(seen[i]);
    }
    await expect(p.getByRole('button', { name: 'Rückgängig' }).isDisabled()).resolves.toBe(true);
    for (let i = 1; i <= 10; i++) {
      await p.getByRole('button', { name: 'Wiederholen' }).focus();
      await p.keyboard.press('Control+Shift+z');
      expect(await savedDraft(rig, p, 'rueckgaengig'), `redo to ${i}`).toEqual(seen[i]);
    }
    await p.context().close();
  }, 120_000);

  it('refuses to publish while problems exist, lists them and selects the element of a chosen problem', async () => {
    const p = await signedIn(rig, browser);
    await createProcedure(rig, p, 'Problemprobe', 'probleme', 'PRO');
    const palette = p.getByRole('navigation', { name: 'Hinzufügen' });
    await palette.getByRole('button', { name: 'Aufgabe hinzufügen' }).click();
    const problems = p.getByRole('region', { name: /Probleme?$/ });
    await problems.getByRole('button', { name: /Zustand ohne Ausgang/ }).waitFor();
    await expect(p.locator('.react-flow__node[data-id="neueAufgabe"]').textContent()).resolves.toMatch(/\d Probleme?/);
    await p.getByRole('button', { name: 'Veröffentlichen' }).click();
    await p.getByText(/Veröffentlichen nicht möglich: Der Entwurf hat noch \d+ Probleme?\./).waitFor();
    await p.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await p.getByLabel('Titel des Verfahrens').waitFor();
    await problems.getByRole('button', { name: /Zustand ohne Ausgang/ }).click();
    await expect(p.locator('#eig-titel').inputValue()).resolves.toBe('Neue Aufgabe');
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('inspektor-titel');
    await p.context().close();
  }, 120_000);

  for (const language of ['de', 'en'] as const) {
    it(`has no axe-core WCAG 2.1 A/AA violations on the list, canvas, inspector and shortcuts (${language})`, async () => {
      const en = language === 'en';
      const p = await signedIn(rig, browser, language);
      await p.locator('h1').waitFor();
      expect(await axeViolations(p), 'list').toEqual([]);
      await p.goto(`${rig.url}/designer/hundeanmeldung`);
      await p.locator('.react-flow__node').first().waitFor();
      expect(await axeViolations(p), 'canvas').toEqual([]);
      await p.locator('.react-flow__node[data-id="review"]').click();
      await p.locator('#eig-gruppe').waitFor();
      expect(await axeViolations(p), 'inspector task').toEqual([]);
      await p.locator('.react-flow__node[data-id="transmitFirst"]').click();
      await p.locator('#eig-anbindung').waitFor();
      await p.locator('#eig-versuche').fill('3');
      await p.locator('#eig-versuche').press('Tab');
      await p.locator('#eig-versuche-faktor').waitFor();
      expect(await axeViolations(p), 'inspector service').toEqual([]);
      await p.locator('.react-flow__node[data-id="assessTax"]').click();
      await p.locator('#spiel-daten').waitFor();
      expect(await axeViolations(p), 'inspector decision').toEqual([]);
      await p
        .getByRole('region', { name: en ? 'Outline' : 'Gliederung' })
        .getByRole('button', { name: /→/ })
        .first()
        .click();
      await p.locator('#eig-ziel').waitFor();
      expect(await axeViolations(p), 'inspector transition').toEqual([]);
      await p.keyboard.press('?');
      await p.getByRole('dialog').waitFor();
      expect(await axeViolations(p), 'shortcuts').toEqual([]);
      await p.keyboard.press('Escape');
      await p.context().close();
    }, 600_000);

    it(`has no axe-core WCAG 2.1 A/AA violations on the form editor, simulator, versions and BPMN views (${language})`, async () => {
      const en = language === 'en';
      const p = await signedIn(rig, browser, language);
      await p.goto(`${rig.url}/designer/hundeanmeldung/formular`);
      await p.locator('.form-view').waitFor();
      // One field open per kind of checks: text (lengths, pattern), number (whole numbers, bounds), file.
      for (const field of ['owner-phone', 'household-registeredDogs', 'dog-conductCertificate']) {
        await p.locator(`#feld-${field}-titel`).locator('xpath=ancestor::details[1]/summary').click();
      }
      await p.locator('#feld-dog-conductCertificate-groesse').waitFor();
      expect(await axeViolations(p), 'form editor').toEqual([]);
      await p.goto(`${rig.url}/designer/hundeanmeldung/simulation`);
      await p.getByRole('button', { name: en ? 'Start simulation' : 'Simulation starten' }).click();
      await p.locator('.vw-node.is-current').waitFor();
      expect(await axeViolations(p), 'simulator').toEqual([]);
      await p.goto(`${rig.url}/designer/hundeanmeldung/versionen`);
      await p.locator('.vw-versions__result .react-flow__node').first().waitFor();
      expect(await axeViolations(p), 'versions').toEqual([]);
      await p.goto(`${rig.url}/designer/hundeanmeldung/bpmn`);
      await p.locator('.vw-bpmn__canvas .djs-element').first().waitFor();
      expect(await axeViolations(p), 'bpmn').toEqual([]);
      await p.context().close();
    }, 600_000);
  }
});
