import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, documentationScreenshot, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { createProcedure, savedDraft, signedIn } from './designer.support.ts';

/** Adds a state through the outline (kind and name) and waits for its row. */
async function addState(p: Page, kind: string, name: string) {
  const outline = p.getByRole('region', { name: 'Gliederung' });
  await outline.getByLabel('Art', { exact: true }).selectOption({ label: kind });
  await outline.getByLabel('Name des Zustands').fill(name);
  await outline.getByRole('button', { name: 'Zustand hinzufügen' }).click();
  await outline.getByRole('rowheader', { name: new RegExp(`^${name}`) }).waitFor();
}

/** Adds a transition through the outline; the new transition is selected in the inspector. */
async function addTransition(p: Page, from: string, to: string) {
  const outline = p.getByRole('region', { name: 'Gliederung' });
  await outline.getByLabel('Von').selectOption({ label: from });
  await outline.getByLabel('Nach').selectOption({ label: to });
  await outline.getByRole('button', { name: 'Übergang hinzufügen' }).click();
  await p.getByRole('region', { name: 'Eigenschaften' }).getByText(`aus „${from}“`).waitFor();
}

async function editState(p: Page, name: string) {
  await p
    .getByRole('region', { name: 'Gliederung' })
    .getByRole('button', { name: `Bearbeiten: ${name}` })
    .click();
  await expect.poll(() => p.locator('#eig-titel').inputValue()).toBe(name);
}

/** Types into a field of the inspector and leaves it, which commits the value (one undo step). */
async function commit(p: Page, label: string, value: string) {
  const field = p.getByRole('region', { name: 'Eigenschaften' }).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Tab');
}

describe('visual designer: a procedure like the Hundeanmeldung built from an empty draft with the UI only', () => {
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

  it('builds form and states, simulates, publishes, and an application over the API reaches the first task', async () => {
    const p = await signedIn(rig, browser);
    await createProcedure(rig, p, 'Hund anmelden (Probe)', 'hund-probe', 'HUP');

    // Application form, with a field shown only for mixed breeds.
    await p
      .getByRole('navigation', { name: 'Ansichten des Verfahrens' })
      .getByRole('link', { name: 'Formulare' })
      .click();
    await p.waitForURL(/\/formular$/);
    const fields = p.getByRole('region', { name: 'Felder' });
    const addField = async (label: string, widget: string) => {
      const form = fields.getByRole('form', { name: 'Feld hinzufügen' });
      await form.getByLabel('Beschriftung des neuen Felds').fill(label);
      await form.getByLabel('Feldart').selectOption({ label: widget });
      await form.getByRole('button', { name: 'Feld hinzufügen' }).click();
      await fields.getByText(label, { exact: true }).first().waitFor();
    };
    await addField('Name der Halterin oder des Halters', 'Text');
    await addField('Rasse', 'Auswahl');
    await addField('Rasse, soweit bekannt', 'Text');
    await addField('Gefährlicher Hund', 'Ja/Nein');
    const open = (name: string) => p.locator(`details:has(#feld-${name}-titel) > summary`).click();
    await open('nameDerHalterinOderDesHalters');
    await p.locator('#feld-nameDerHalterinOderDesHalters-pflicht').check();
    await open('rasse');
    await p.locator('#feld-rasse-auswahl').fill('dackel = Dackel\nmischling = Mischling');
    await p.locator('#feld-rasse-auswahl').press('Tab');
    await open('rasseSoweitBekannt');
    await p.locator('#feld-rasseSoweitBekannt-bedingung').fill('rasse = "mischling"');
    await p.locator('#feld-rasseSoweitBekannt-bedingung').press('Tab');
    const preview = p.getByRole('region', { name: 'Vorschau' });
    await preview.getByLabel(/Name der Halterin oder des Halters/).waitFor();
    await expect(preview.getByLabel(/Rasse, soweit bekannt/).count()).resolves.toBe(0);
    await preview.getByLabel('Mischling').check();
    await preview.getByLabel(/Rasse, soweit bekannt/).waitFor();
    expect(await axeViolations(p), 'form editor').toEqual([]);
    await documentationScreenshot(p, 'designer-form-editor.png', false);

    // States and transitions, through the outline and the inspector.
    await p.getByRole('navigation', { name: 'Ansichten des Verfahrens' }).getByRole('link', { name: 'Modell' }).click();
    await addState(p, 'Automatischer Schritt', 'Eingang bestätigen');
    await p
      .getByRole('region', { name: 'Eigenschaften' })
      .getByLabel('Anbindung')
      .selectOption({ label: 'Bürgerpostfach' });
    await p.getByRole('region', { name: 'Eigenschaften' }).getByLabel('Operation').selectOption('deliver');
    await commit(p, 'recipient', 'trackingCode');
    await commit(p, 'subject', '"Eingang Ihrer Hundeanmeldung"');
    await commit(p, 'body', '"Wir haben Ihre Anmeldung erhalten."');
    await addState(p, 'Entscheidung', 'Steuersatz bestimmen');
    await addState(p, 'Aufgabe', 'Führungszeugnis prüfen');
    await p.getByRole('region', { name: 'Eigenschaften' }).getByLabel('Zuständige Gruppe').selectOption('Steueramt');
    await addState(p, 'Aufgabe', 'Hundeanmeldung prüfen');
    await p.getByRole('region', { name: 'Eigenschaften' }).getByLabel('Zuständige Gruppe').selectOption('Steueramt');
    await commit(p, 'Öffentlicher Status', 'In Bearbeitung');
    await addState(p, 'Ende', 'Angemeldet');

    await addTransition(p, 'Eingang bestätigen', 'Steuersatz bestimmen');
    await addTransition(p, 'Eingang bestätigen', 'Hundeanmeldung prüfen');
    await addTransition(p, 'Steuersatz bestimmen', 'Führungszeugnis prüfen');
    await commit(p, 'Bedingung (FEEL)', 'gefaehrlicherHund = true');
    await addTransition(p, 'Steuersatz bestimmen', 'Hundeanmeldung prüfen');
    await addTransition(p, 'Führungszeugnis prüfen', 'Hundeanmeldung prüfen');
    await addTransition(p, 'Hundeanmeldung prüfen', 'Angemeldet');
    await editState(p, 'Angemeldet');
    await commit(p, 'Öffentlicher Status', 'Hund angemeldet');
    await p.getByText('Keine Probleme gefunden.').waitFor();

    const draft = await savedDraft(rig, p, 'hund-probe');
    expect(draft).toMatchObject({
      initial: 'eingangBestaetigen',
      form: {
        required: ['nameDerHalterinOderDesHalters'],
        properties: {
          rasse: {
            oneOf: [
              { const: 'dackel', title: 'Dackel' },
              { const: 'mischling', title: 'Mischling' },
            ],
          },
          rasseSoweitBekannt: { 'x-visibleIf': 'rasse = "mischling"' },
          gefaehrlicherHund: { type: 'boolean' },
        },
      },
      states: {
        eingangBestaetigen: {
          kind: 'service',
          connector: 'postbox@1',
          operation: 'deliver',
          transitions: [
            { on: 'done', target: 'steuersatzBestimmen' },
            { on: 'failed', target: 'hundeanmeldungPruefen' },
          ],
        },
        steuersatzBestimmen: {
          transitions: [
            { target: 'fuehrungszeugnisPruefen', guard: 'gefaehrlicherHund = true' },
            { target: 'hundeanmeldungPruefen' },
          ],
        },
        hundeanmeldungPruefen: { kind: 'task', group: 'Steueramt', status: 'In Bearbeitung' },
        angemeldet: { kind: 'final', status: 'Hund angemeldet' },
      },
    });

    // Simulation with the engine's runtime in the browser: the listed dog goes to the certificate check.
    await p
      .getByRole('navigation', { name: 'Ansichten des Verfahrens' })
      .getByRole('link', { name: 'Simulation' })
      .click();
    await p.getByRole('button', { name: 'Simulation starten' }).click();
    await p.getByRole('status').filter({ hasText: 'Eingang bestätigen' }).waitFor();
    await expect(p.locator('.vw-node.is-current').textContent()).resolves.toContain('Eingang bestätigen');
    await p.getByRole('button', { name: 'Ereignis „done“' }).click();
    await p.getByRole('status').filter({ hasText: 'Führungszeugnis prüfen' }).waitFor();
    await expect(p.locator('.vw-node.is-current').textContent()).resolves.toContain('Führungszeugnis prüfen');
    await expect(p.locator('.vw-simulator__vars').textContent()).resolves.toContain('"gefaehrlicherHund": true');
    expect(await axeViolations(p), 'simulator').toEqual([]);
    await documentationScreenshot(p, 'designer-simulator.png', false);

    await p.getByRole('toolbar').getByRole('button', { name: 'Veröffentlichen' }).click();
    await p.getByText('Als Version 1 veröffentlicht.').waitFor();
    await p.context().close();

    const submitted = await rig.call('POST', '/api/applications', {
      body: {
        procedure: 'hund-probe',
        data: { nameDerHalterinOderDesHalters: 'Erika Mustermann', rasse: 'dackel', gefaehrlicherHund: false },
      },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.caseNumber).toMatch(/^HUP-\d{4}-\d+$/);
    await rig.settle();
    const token = await rig.login('prozess');
    const found = await rig.call('GET', `/api/cases/${submitted.body.caseId}`, { token });
    expect(found.status).toBe(200);
    expect(found.body.tasks).toEqual([
      expect.objectContaining({ state: 'hundeanmeldungPruefen', group: 'Steueramt', status: 'open' }),
    ]);
  }, 300_000);
});
