import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelerMessages } from '../../designer/src/modeler/modeler.messages.ts';
import { type Definition, type Delay, parseDefinition, type State } from '../../engine/definition/definition.schema.ts';
import { type Form, formFieldPaths } from '../../engine/definition/form.schema.ts';
import { axeViolations, documentationScreenshot, launchBrowser } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { createProcedure, savedDraft, signedIn } from './designer.support.ts';
import { commitById, fillForm } from './designer-form.support.ts';

const WORKFLOW = new URL('../../workflows/hundeanmeldung/', import.meta.url);
const shipped = parseDefinition(JSON.parse(readFileSync(new URL('definition.json', WORKFLOW), 'utf8')));
if (!shipped.success) throw new Error('the shipped Hundeanmeldung does not parse');
const SHIPPED: Definition = shipped.data;
const SAMPLE = JSON.parse(readFileSync(new URL('samples/ersthund-happy-path.json', WORKFLOW), 'utf8')) as {
  data: Record<string, unknown>;
  path: { expect: string }[];
};

/**
 * Everything in which the rebuilt procedure may differ from the shipped one, each with its reason; nothing else may
 * (canvas positions are left out of the comparison: they are layout only, and the shipped file has none).
 * - `key`: the demo installation already holds the shipped Hundeanmeldung under its key, and a key names one
 *   procedure, so the rebuilt one is created under its own.
 */
const DIFFERENCES = { key: 'hundeanmeldung-nachbau' } satisfies Partial<Definition>;
const KEY = DIFFERENCES.key;

/** What `fillState` knows how to enter through the inspector; any other field of a state fails the test. */
const STATE_KEYS = new Set([
  'kind',
  'title',
  'description',
  'status',
  'transitions',
  'group',
  'due',
  'timeout',
  'outcomes',
  'form',
  'connector',
  'operation',
  'input',
  'result',
  'retry',
  'delay',
  'outcome',
]);

type Manifest = { id: string; title: string; operations: Record<string, { title?: string }> };

// The inspector and the outline by class and id rather than by role: the page grows to hundreds of controls, and
// every role query computes the accessible names of all of them.
const inspector = (p: Page) => p.locator('.vw-inspector');
const views = (p: Page) => p.getByRole('navigation', { name: 'Ansichten des Verfahrens' });

/** Adds a state with the palette (a service step by its connector operation); the inspector shows it. */
async function addFromPalette(p: Page, state: State, manifests: Manifest[]) {
  const palette = p.getByRole('navigation', { name: 'Hinzufügen' });
  if (state.kind === 'service') {
    const connector = manifests.find((m) => m.id === state.connector)!;
    const group = palette.locator('details', { has: p.getByText(connector.title, { exact: true }) });
    if (!(await group.evaluate((d) => (d as HTMLDetailsElement).open))) await group.locator('summary').click();
    const operation = connector.operations[state.operation]!;
    await group.getByRole('button', { name: operation.title ?? state.operation, exact: true }).click();
  } else {
    await palette
      .getByRole('button', { name: `${modelerMessages.de.kind[state.kind]} hinzufügen`, exact: true })
      .click();
  }
  await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('eig-titel');
}

/** Adds a state with the outline's form (kind and name); the inspector shows it. */
async function addFromOutline(p: Page, state: State) {
  await p.locator('#neu-art').selectOption(state.kind);
  await p.locator('#neu-zustand-titel').fill(state.title ?? '');
  await p.locator('#neu-zustand-titel').press('Enter');
  await expect.poll(() => p.locator('#eig-titel').inputValue()).toBe(state.title ?? '');
}

async function fillDelay(p: Page, prefix: string, delay: Delay) {
  const [kind, value] = Object.entries(delay)[0]!;
  await p.locator(`#${prefix}-art`).selectOption(kind);
  await commitById(p, `${prefix}-wert`, String(value));
}

/** Enters the selected state's properties in the inspector, its technical id last. */
async function fillState(p: Page, id: string, state: State) {
  expect(
    Object.keys(state).filter((k) => !STATE_KEYS.has(k)),
    `inspector cannot enter ${id}`,
  ).toEqual([]);
  const panel = inspector(p);
  if (state.title !== undefined) await commitById(p, 'eig-titel', state.title);
  if (state.kind === 'final') await commitById(p, 'eig-ergebnis', state.outcome);
  if (state.status !== undefined) await commitById(p, 'eig-status', state.status);
  if (state.description !== undefined) await commitById(p, 'eig-beschreibung', state.description);
  if (state.kind === 'task') {
    await p.locator('#eig-gruppe').selectOption(state.group);
    for (const [i, outcome] of (state.outcomes ?? []).entries()) {
      await panel.getByRole('button', { name: 'Ergebnis hinzufügen' }).click();
      await commitById(p, `eig-ergebnis-${i}-id`, outcome.id);
      await commitById(p, `eig-ergebnis-${i}-label`, outcome.label);
    }
    if (state.due) await fillDelay(p, 'eig-frist', state.due);
  }
  if ((state.kind === 'task' || state.kind === 'wait') && state.timeout) {
    await fillDelay(p, 'eig-zeitlimit', state.timeout);
  }
  if (state.kind === 'timer') await fillDelay(p, 'eig-verzoegerung', state.delay);
  if (state.kind === 'service') {
    await p.locator('#eig-anbindung').selectOption(state.connector);
    await p.locator('#eig-operation').selectOption(state.operation);
    for (const [field, expression] of Object.entries(state.input)) {
      await commitById(p, `eig-eingabe-${field}`, expression);
    }
    for (const [i, [variable, expression]] of Object.entries(state.result).entries()) {
      await panel.getByRole('button', { name: 'Variable hinzufügen' }).click();
      await commitById(p, `eig-ergebnisvariable-${i}-name`, variable);
      await commitById(p, `eig-ergebnisvariable-${i}-ausdruck`, expression);
    }
    if (state.retry) {
      await commitById(p, 'eig-versuche', String(state.retry.maxAttempts));
      await commitById(p, 'eig-versuche-erste-pause', state.retry.initialDelay);
      await commitById(p, 'eig-versuche-laengste-pause', state.retry.maxDelay);
      await commitById(p, 'eig-versuche-faktor', String(state.retry.factor));
    }
  }
  await commitById(p, 'eig-id', id);
  await expect.poll(() => p.locator('#eig-id').inputValue()).toBe(id);
}

/** Connects two states on the canvas by dragging from the source's handle to the target's. */
async function dragConnect(p: Page, from: string, to: string) {
  const source = await p.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`).boundingBox();
  const target = await p.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`).boundingBox();
  await p.mouse.move(source!.x + source!.width / 2, source!.y + source!.height / 2);
  await p.mouse.down();
  await p.mouse.move(target!.x + target!.width / 2, target!.y + target!.height / 2, { steps: 12 });
  await p.mouse.up();
}

/** Enters the selected (new) transition's event, guard and label in the inspector. */
async function fillTransition(p: Page, from: State, transition: State['transitions'][number]) {
  await inspector(p).getByText(`aus „${from.title}“`).waitFor();
  await expect.poll(() => p.locator('#eig-ziel').inputValue()).toBe(transition.target);
  if (transition.on !== undefined) {
    const event = p.locator('#eig-ereignis');
    if ((await event.evaluate((e) => e.tagName)) === 'SELECT') await event.selectOption(transition.on);
    else await commitById(p, 'eig-ereignis', transition.on);
  }
  if (transition.guard !== undefined) await commitById(p, 'eig-bedingung', transition.guard);
  if (transition.label !== undefined) await commitById(p, 'eig-beschriftung', transition.label);
}

/** A definition without canvas positions, which only the layout sets. */
function withoutPositions(definition: Definition): Definition {
  return {
    ...definition,
    states: Object.fromEntries(
      Object.entries(definition.states).map(([id, { position: _, ...state }]) => [id, state as State]),
    ),
  };
}

/** Every form of a definition with its field paths in order: the order is the order the citizen sees. */
function fieldOrders(definition: Definition): Record<string, string[]> {
  const forms: [string, Form | undefined][] = [
    ['', definition.form],
    ...Object.entries(definition.states).map(([id, s]): [string, Form | undefined] => [
      id,
      s.kind === 'task' ? s.form : undefined,
    ]),
  ];
  return Object.fromEntries(forms.flatMap(([id, form]) => (form ? [[id, formFieldPaths(form)]] : [])));
}

describe('visual designer: the shipped Hundeanmeldung rebuilt from an empty draft with the UI only', () => {
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

  it('builds procedure, forms, states and transitions; the saved draft is the shipped definition; an application reaches the first task', async () => {
    const token = await rig.login('prozess');
    const manifests = (await rig.call('GET', '/api/connectors', { token })).body as Manifest[];
    const p = await signedIn(rig, browser);
    await createProcedure(rig, p, SHIPPED.title, KEY, SHIPPED.caseNumberPrefix);

    // The procedure: nothing selected, the inspector shows its catalogue entry and constants.
    if (SHIPPED.description) await commitById(p, 'eig-beschreibung', SHIPPED.description);
    await commitById(p, 'eig-suchbegriffe', SHIPPED.synonyms.join('\n'));
    if (SHIPPED.category) await commitById(p, 'eig-kategorie', SHIPPED.category);
    if (SHIPPED.fee) await commitById(p, 'eig-gebuehr', SHIPPED.fee);
    if (SHIPPED.duration) await commitById(p, 'eig-dauer', SHIPPED.duration);
    await p.locator('#eig-anmeldung').setChecked(SHIPPED.requiresLogin);
    for (const [i, [name, value]] of Object.entries(SHIPPED.constants).entries()) {
      await inspector(p).getByRole('button', { name: 'Konstante hinzufügen' }).click();
      await commitById(p, `eig-konstante-${i}-name`, name);
      await commitById(p, `eig-konstante-${i}-wert`, typeof value === 'string' ? value : JSON.stringify(value));
    }

    // The start and the states its transitions lead to come from the palette and are connected on the canvas.
    const start = SHIPPED.states[SHIPPED.initial]!;
    const fromPalette = [SHIPPED.initial, ...start.transitions.map((t) => t.target)];
    for (const id of fromPalette) {
      await addFromPalette(p, SHIPPED.states[id]!, manifests);
      await fillState(p, id, SHIPPED.states[id]!);
    }
    await p.getByRole('button', { name: 'Alles einpassen' }).click();
    for (const transition of start.transitions) {
      await dragConnect(p, SHIPPED.initial, transition.target);
      await fillTransition(p, start, transition);
    }

    // The other states through the outline, then every remaining transition.
    for (const [id, state] of Object.entries(SHIPPED.states)) {
      if (fromPalette.includes(id)) continue;
      await addFromOutline(p, state);
      await fillState(p, id, state);
    }
    for (const [id, state] of Object.entries(SHIPPED.states)) {
      if (id === SHIPPED.initial) continue;
      for (const transition of state.transitions) {
        await p.locator('#neu-von').selectOption(id);
        await p.locator('#neu-nach').selectOption(transition.target);
        await p.locator('form:has(#neu-von) button[type="submit"]').click();
        await fillTransition(p, state, transition);
      }
    }
    await p.getByRole('button', { name: 'Aufräumen' }).click();

    // The application form and the task forms in the form editor.
    await views(p).getByRole('link', { name: 'Formulare' }).click();
    await p.waitForURL(/\/formular$/);
    await fillForm(p, SHIPPED.form);
    const preview = p.getByRole('region', { name: 'Vorschau' });
    await expect(preview.getByLabel(/Rasse oder Rassen, soweit bekannt/).count()).resolves.toBe(0);
    await preview.getByLabel('Mischling (ohne Anteil der oben genannten Rassen)').check();
    await preview.getByLabel(/Rasse oder Rassen, soweit bekannt/).waitFor();
    expect(await axeViolations(p), 'form editor').toEqual([]);
    await documentationScreenshot(p, 'designer-form-editor.png', false);
    for (const [id, state] of Object.entries(SHIPPED.states)) {
      if (state.kind !== 'task' || !state.form) continue;
      await p.locator('#formular-wahl').selectOption(id);
      await p.getByRole('button', { name: 'Formular für diese Aufgabe anlegen' }).click();
      await fillForm(p, state.form);
    }

    const draft = parseDefinition(await savedDraft(rig, p, KEY));
    expect(draft.error).toBeUndefined();
    const built = withoutPositions(draft.data!);
    expect(built).toEqual({ ...SHIPPED, ...DIFFERENCES });
    // Key order is no part of toEqual, but the order of the fields is the order the forms show them in.
    expect(fieldOrders(built)).toEqual(fieldOrders(SHIPPED));

    await views(p).getByRole('link', { name: 'Simulation' }).click();
    await p.getByRole('button', { name: 'Simulation starten' }).click();
    await p.locator('.vw-node.is-current').waitFor();
    expect(await axeViolations(p), 'simulator').toEqual([]);
    // Mid-way: the Fachverfahren step answers, and the case waits at the review task with its form.
    await p.getByRole('button', { name: 'Ereignis „done“' }).click();
    await p.locator('.react-flow__node[data-id="review"] .vw-node.is-current').waitFor();
    await documentationScreenshot(p, 'designer-simulator.png', false);

    await p.getByRole('toolbar').getByRole('button', { name: 'Veröffentlichen' }).click();
    await p.getByText('Als Version 1 veröffentlicht.').waitFor();
    await p.context().close();

    const submitted = await rig.call('POST', '/api/applications', { body: { procedure: KEY, data: SAMPLE.data } });
    expect(submitted.status).toBe(201);
    expect(submitted.body.caseNumber).toMatch(new RegExp(`^${SHIPPED.caseNumberPrefix}-\\d{4}-\\d+$`));
    await rig.settle();
    const firstTask = SAMPLE.path.map((step) => step.expect).find((id) => SHIPPED.states[id]?.kind === 'task')!;
    const task = SHIPPED.states[firstTask] as Extract<State, { kind: 'task' }>;
    const found = await rig.call('GET', `/api/cases/${submitted.body.caseId}`, { token });
    expect(found.status).toBe(200);
    expect(found.body.tasks).toEqual([
      expect.objectContaining({ state: firstTask, group: task.group, status: 'open' }),
    ]);
  }, 600_000);
});
