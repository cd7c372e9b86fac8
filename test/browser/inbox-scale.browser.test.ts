import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';

const TASKS = 10_000;
const BATCH = 500;

describe('caseworker inbox with 10,000 open tasks in the group', { timeout: 180_000 }, () => {
  let rig: Harness;
  let browser: Browser;

  /** Clones one real waiting case and its open task 10,000 times straight into the store (seconds, not minutes). */
  async function fillGroup() {
    const res = await rig.call('POST', '/api/applications', {
      body: {
        procedure: 'maengelmelder',
        data: {
          report: { category: 'roadDamage', description: 'Schlagloch in der Fahrbahn, tief.' },
          location: { kind: 'address', street: 'Ringstraße 1' },
        },
      },
    });
    await rig.settle();
    const { db } = rig.services.database;
    const model = await db.selectFrom('cases').selectAll().where('id', '=', res.body.caseId).executeTakeFirstOrThrow();
    const task = await db.selectFrom('tasks').selectAll().where('caseId', '=', model.id).executeTakeFirstOrThrow();
    const started = performance.now();
    await db.transaction().execute(async (tx) => {
      for (let from = 0; from < TASKS; from += BATCH) {
        const n = Array.from({ length: Math.min(BATCH, TASKS - from) }, (_, i) => from + i);
        const caseIds = n.map(() => rig.services.ids.id());
        await tx
          .insertInto('cases')
          .values(
            n.map((i, k) => ({
              ...model,
              id: caseIds[k]!,
              caseNumber: `MAE-2026-9${String(i).padStart(5, '0')}`,
              trackingCode: `SCALE${String(i).padStart(7, '0')}`,
            })),
          )
          .execute();
        await tx
          .insertInto('tasks')
          .values(
            n.map((i, k) => ({
              ...task,
              id: rig.services.ids.id(),
              caseId: caseIds[k]!,
              dueAt: (task.dueAt ?? Date.now()) + (i % 500) * 3_600_000,
            })),
          )
          .execute();
      }
    });
    console.log(
      `inbox scale: inserted ${TASKS} cases with open tasks in ${Math.round(performance.now() - started)} ms`,
    );
  }

  beforeAll(async () => {
    rig = await startHarness();
    browser = await launchBrowser();
    await fillGroup();
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it('answers the first and the last page of the group queue through the index', async () => {
    const token = await rig.login('sachbearbeitung');
    for (const offset of [0, 10_000]) {
      const started = performance.now();
      const res = await rig.call('GET', `/api/inbox/tasks?queue=group&limit=50&offset=${offset}`, { token });
      console.log(`inbox scale: API page at offset ${offset}: ${Math.round(performance.now() - started)} ms`);
      expect(res.body.total).toBe(TASKS + 1);
      expect(res.body.items).toHaveLength(offset === 0 ? 50 : 1);
    }
  });

  it('answers the first and a deep page in every sort order; prints the times', async () => {
    const token = await rig.login('sachbearbeitung');
    for (const sort of ['received', '-received', 'caseNumber', '-caseNumber', 'procedure', '-procedure']) {
      const first = await rig.call('GET', `/api/inbox/tasks?queue=group&sort=${sort}&limit=50`, { token });
      const started = performance.now();
      const deep = await rig.call('GET', `/api/inbox/tasks?queue=group&sort=${sort}&limit=50&offset=5000`, { token });
      console.log(
        `inbox scale: API page at offset 5,000 sorted by ${sort}: ${Math.round(performance.now() - started)} ms`,
      );
      expect(first.body.total).toBe(TASKS + 1);
      expect(first.body.items).toHaveLength(50);
      expect(deep.body.items).toHaveLength(50);
    }
    const byNumber = await rig.call('GET', '/api/inbox/tasks?queue=group&sort=-caseNumber&limit=3', { token });
    const numbers: string[] = byNumber.body.items.map((t: { caseNumber: string }) => t.caseNumber);
    expect(numbers).toEqual([...numbers].sort().reverse());
    expect(numbers).toContain('MAE-2026-909999');
  });

  it('shows the first page of the group queue and pages on; prints the time to the first row', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${rig.url}/login?weiter=%2Finbox`);
    await page.locator('input[name="username"]').fill('sachbearbeitung');
    await page.locator('input[type="password"]').fill('demo');
    await page.locator('input[type="password"]').press('Enter');
    await page.waitForURL(`${rig.url}/inbox`);
    await context.addInitScript(() => {
      const mark = () => {
        if (document.querySelector('a[data-row]')) {
          (window as unknown as { firstRowAt: number }).firstRowAt = performance.now();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(mark);
      observer.observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${rig.url}/inbox?ansicht=gruppe`);
    await page.locator('a[data-row]').first().waitFor();
    const firstRow = await page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt);
    console.log(`inbox scale: time to first render with ${TASKS + 1} open tasks: ${Math.round(firstRow)} ms`);
    await page.getByRole('status').filter({ hasText: '10.001 Aufgaben' }).waitFor();
    expect(await page.locator('a[data-row]').count()).toBe(50);

    await page.getByRole('button', { name: 'Nächste Seite' }).click();
    await page.getByText('Seite 2 von 201').waitFor();
    expect(page.url()).toContain('seite=2');
    const deep = performance.now();
    await page.goto(`${rig.url}/inbox?ansicht=gruppe&seite=201`);
    await page.getByText('Seite 201 von 201').waitFor();
    await page.locator('a[data-row]').first().waitFor();
    console.log(`inbox scale: last page (offset 10,000) loaded in ${Math.round(performance.now() - deep)} ms`);
    expect(await page.locator('a[data-row]').count()).toBe(1);

    const search = performance.now();
    await page.goto(`${rig.url}/inbox?ansicht=gruppe&suche=MAE-2026-912345`);
    await page.getByRole('status').filter({ hasText: '0 Aufgaben' }).waitFor();
    await page.goto(`${rig.url}/inbox?ansicht=gruppe&suche=MAE-2026-909999`);
    await page.getByRole('status').filter({ hasText: '1 Aufgabe' }).waitFor();
    console.log(`inbox scale: two text searches over all tasks in ${Math.round(performance.now() - search)} ms`);
    await context.close();
  });
});
