import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { fieldNameFor, widgetOf } from '../../designer/src/modeler/form-edits.ts';
import type { Form, FormField } from '../../engine/definition/form.schema.ts';

/** What `fillForm` knows how to enter through the form editor; any other keyword fails the test. */
const FIELD_KEYS = new Set([
  'type',
  'title',
  'description',
  'format',
  'x-widget',
  'oneOf',
  'x-visibleIf',
  'properties',
  'required',
  'additionalProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'x-accept',
  'x-maxBytes',
]);

const MEGABYTE = 1024 * 1024;

/** Types into a field and leaves it, which commits the value (one undo step). */
export async function commitById(p: Page, id: string, value: string) {
  const field = p.locator(`#${id}`);
  await field.fill(value);
  await field.press('Tab');
}

function domId(path: string) {
  return `feld-${path.replaceAll('.', '-')}`;
}

/** Opens the card of a field (a closed `<details>`) so its settings can be edited. */
async function openCard(p: Page, id: string) {
  const details = p.locator(`#${id}-titel`).locator('xpath=ancestor::details[1]');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await details.locator(':scope > summary').click();
  }
}

/**
 * Enters `form` into the form editor's currently chosen form, field by field as a process owner would: add the
 * field with label and widget, open it, set help, choices, condition, required and checks, then its name.
 */
export async function fillForm(p: Page, form: Form) {
  if (form.title) await commitById(p, 'formular-titel', form.title);
  await fillContainer(p, '', form.properties, form.required ?? []);
}

async function fillContainer(p: Page, container: string, fields: Record<string, FormField>, required: string[]) {
  const taken: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const unknown = Object.keys(field).filter((k) => !FIELD_KEYS.has(k));
    expect(unknown, `form editor cannot enter ${container}.${name}`).toEqual([]);
    const group = field.type === 'object';
    const addId = `neues-feld-${container.replaceAll('.', '-') || 'formular'}`;
    await p.locator(`#${addId}-titel`).fill(field.title ?? name);
    await p.locator(`#${addId}-art`).selectOption(group ? 'group' : widgetOf(field));
    await p.locator(`#${addId}-titel`).press('Enter');
    const generated = fieldNameFor(field.title ?? name, taken);
    taken.push(name);
    const path = container ? `${container}.${generated}` : generated;
    const id = domId(path);
    await p.locator(`#${id}-titel`).waitFor({ state: 'attached' });
    await openCard(p, id);
    if (field.description) await commitById(p, `${id}-hilfe`, field.description);
    if (required.includes(name)) await p.locator(`#${id}-pflicht`).check();
    if (!group) await fillChecks(p, id, field);
    if (generated !== name) {
      await commitById(p, `${id}-name`, name);
      await p.locator(`#${domId(container ? `${container}.${name}` : name)}-titel`).waitFor({ state: 'attached' });
    }
    if (group) {
      const groupPath = container ? `${container}.${name}` : name;
      await openCard(p, domId(groupPath));
      await fillContainer(p, groupPath, field.properties ?? {}, field.required ?? []);
    }
  }
}

async function fillChecks(p: Page, id: string, field: FormField) {
  if (field.oneOf) {
    const lines = field.oneOf.map((o) => (String(o.const) === o.title ? o.title : `${o.const} = ${o.title}`));
    await commitById(p, `${id}-auswahl`, lines.join('\n'));
  }
  if (field['x-visibleIf']) await commitById(p, `${id}-bedingung`, field['x-visibleIf']);
  if (field.minLength !== undefined) await commitById(p, `${id}-min-laenge`, String(field.minLength));
  if (field.maxLength !== undefined) await commitById(p, `${id}-max-laenge`, String(field.maxLength));
  if (field.pattern !== undefined) await commitById(p, `${id}-muster`, field.pattern);
  if (field.type === 'integer') await p.locator(`#${id}-ganzzahl`).check();
  if (field.minimum !== undefined) await commitById(p, `${id}-minimum`, String(field.minimum));
  if (field.maximum !== undefined) await commitById(p, `${id}-maximum`, String(field.maximum));
  if (field.default !== undefined) await commitById(p, `${id}-vorbelegung`, String(field.default));
  if (field['x-accept']) await commitById(p, `${id}-typen`, field['x-accept'].join(', '));
  if (field['x-maxBytes']) await commitById(p, `${id}-groesse`, String(field['x-maxBytes'] / MEGABYTE));
}
