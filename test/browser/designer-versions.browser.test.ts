import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, documentationScreenshot, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { signedIn } from './designer.support.ts';

const FIXTURE = fileURLToPath(new URL('../../engine/bpmn/fixtures/camunda7-sondernutzung.bpmn', import.meta.url));
const KEY = 'sondernutzung-oeffentlicher-strassen';

describe('visual designer: BPMN import, fixing problems, publishing, BPMN view and version comparison', () => {
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

  it('imports a Camunda 7 model with warnings, fixes its problems in the inspector, publishes and compares', async () => {
    const p = await signedIn(rig, browser);
    const importer = p.getByRole('region', { name: 'BPMN importieren' });
    await importer.getByLabel('BPMN-Datei').setInputFiles(FIXTURE);
    await importer.getByRole('button', { name: 'Importieren' }).click();
    await importer.getByText(`Als Entwurf „${KEY}“ importiert.`).waitFor();
    await expect(importer.textContent()).resolves.toContain('Mehrere Gruppen (ordnungsamt, sachgebiet-32)');
    expect(await axeViolations(p), 'list with import result').toEqual([]);
    await importer.getByRole('link', { name: 'Entwurf öffnen' }).click();
    await p.waitForURL(`${rig.url}/designer/${KEY}`);

    const problems = p.getByRole('region', { name: /Probleme?$/ });
    const inspector = p.getByRole('region', { name: 'Eigenschaften' });
    await problems.getByRole('heading', { name: '5 Probleme' }).waitFor();
    await problems.getByRole('button', { name: /Gruppe „ordnungsamt“ gibt es nicht/ }).click();
    await inspector.getByLabel('Zuständige Gruppe').selectOption('Ordnungsamt');
    await problems.getByRole('button', { name: /Gruppe „amtsleitung“ gibt es nicht/ }).click();
    await inspector.getByLabel('Zuständige Gruppe').selectOption('Ordnungsamt-Leitung');
    await problems.getByRole('button', { name: /kein Eingabefeld „antragsteller“/ }).click();
    for (const field of ['antragsteller', 'betrag', 'verfahren']) {
      await inspector.locator(`#eig-eingabe-${field}`).fill('');
      await inspector.locator(`#eig-eingabe-${field}`).press('Tab');
    }
    await inspector.locator('#eig-eingabe-messageType').fill('"sondernutzung.antrag"');
    await inspector.locator('#eig-eingabe-payload').fill('{antragsteller: antragsteller}');
    await inspector.locator('#eig-eingabe-payload').press('Tab');
    await p.getByText('Keine Probleme gefunden.').waitFor();
    await p.getByRole('toolbar').getByRole('button', { name: 'Veröffentlichen' }).click();
    await p.getByText('Als Version 1 veröffentlicht.').waitFor();

    // The saved draft as BPMN in the bpmn-js viewer, with its watermark.
    const views = p.getByRole('navigation', { name: 'Ansichten des Verfahrens' });
    await views.getByRole('link', { name: 'BPMN' }).click();
    await p.locator('.vw-bpmn__canvas .djs-element').first().waitFor();
    await expect(p.locator('.vw-bpmn__canvas .bjs-powered-by').count()).resolves.toBe(1);
    await expect(p.getByRole('link', { name: 'Als BPMN-Datei herunterladen' }).getAttribute('href')).resolves.toBe(
      `/api/procedures/${KEY}/export?format=bpmn`,
    );

    // Edit the draft, then compare it with version 1.
    await views.getByRole('link', { name: 'Modell' }).click();
    const outline = p.getByRole('region', { name: 'Gliederung' });
    await outline.getByRole('button', { name: /^Bearbeiten: Freigabe/ }).click();
    await inspector.getByLabel('Name', { exact: true }).fill('Freigabe durch die Amtsleitung');
    await inspector.getByLabel('Name', { exact: true }).press('Tab');
    await outline.getByLabel('Art', { exact: true }).selectOption('final');
    await outline.getByLabel('Name des Zustands').fill('Zurückgewiesen');
    await outline.getByRole('button', { name: 'Zustand hinzufügen' }).click();
    await outline.getByLabel('Von').selectOption({ label: 'Gebühr über 100 €?' });
    await outline.getByLabel('Nach').selectOption({ label: 'Zurückgewiesen' });
    await outline.getByRole('button', { name: 'Übergang hinzufügen' }).click();
    await outline.getByRole('button', { name: 'Löschen: End_Frist' }).click();

    await views.getByRole('link', { name: 'Versionen' }).click();
    await p.getByRole('row', { name: /Version 1 .* prozess/ }).waitFor();
    await expect(p.getByLabel('Vorher').inputValue()).resolves.toBe('1');
    await expect(p.getByLabel('Nachher').inputValue()).resolves.toBe('entwurf');
    const changes = p.getByRole('region', { name: /Änderungen?$/ });
    await changes.getByRole('heading').waitFor();
    const items = await changes.getByRole('listitem').allTextContents();
    expect(items.sort()).toEqual(
      [
        'Entfernt Übergang: Antrag prüfen → End_Frist (timeout)',
        'Entfernt Zustand: End_Frist',
        'Geändert Zustand: Freigabe durch die Amtsleitung',
        'Neu Übergang: Gebühr über 100 €? → Zurückgewiesen',
        'Neu Zustand: Zurückgewiesen',
      ].sort(),
    );
    await expect(p.locator('.vw-canvas .vw-node.is-added').count()).resolves.toBe(1);
    await expect(p.locator('.vw-canvas .vw-node.is-removed').count()).resolves.toBe(1);
    await expect(p.locator('.vw-canvas .vw-node.is-changed').count()).resolves.toBe(1);
    await expect(p.locator('.vw-canvas .react-flow__edge.is-added').count()).resolves.toBe(1);
    expect(await axeViolations(p), 'versions').toEqual([]);
    await p.locator('.vw-versions__pick').scrollIntoViewIfNeeded();
    await documentationScreenshot(p, 'designer-version-compare.png', false);
    await p.getByLabel('Nachher').selectOption('1');
    await changes.getByRole('heading', { name: '0 Änderungen' }).waitFor();
    await p.context().close();
  }, 300_000);
});
