import { describe, expect, it } from 'vitest';
import { type Form, formSchema } from '../../../engine/definition/form.schema.ts';
import {
  addField,
  choicesToText,
  isRequired,
  moveField,
  removeField,
  renameField,
  ruleNumber,
  setRequired,
  textToChoices,
  updateField,
  WIDGETS,
  widgetOf,
  withRule,
  withWholeNumbers,
  withWidget,
} from './form-edits.ts';

const empty: Form = { type: 'object', properties: {} };

describe('form edits', () => {
  it('builds a schema-valid form with a group, every widget, required fields and a condition', () => {
    let form = empty;
    const group = addField(form, '', 'Halterin oder Halter', 'group');
    form = group.form;
    expect(group.path).toBe('halterinOderHalter');
    for (const widget of WIDGETS) form = addField(form, group.path, `Feld ${widget}`, widget).form;
    form = setRequired(form, 'halterinOderHalter.feldText', true);
    form = updateField(form, 'halterinOderHalter.feldText', {
      ...form.properties.halterinOderHalter!.properties!.feldText!,
      'x-visibleIf': 'feldYesno = true',
    });
    expect(formSchema.safeParse(form).success).toBe(true);
    const fields = form.properties.halterinOderHalter!.properties!;
    expect(Object.values(fields).map(widgetOf)).toEqual([...WIDGETS]);
    expect(isRequired(form, 'halterinOderHalter.feldText')).toBe(true);
    expect(form.properties.halterinOderHalter!.required).toEqual(['feldText']);
  });

  it('renames and removes fields with their required mark, moves them, and keeps label and condition across widgets', () => {
    let form = addField(empty, '', 'Name', 'text').form;
    form = addField(form, '', 'Alter', 'number').form;
    form = setRequired(form, 'name', true);
    form = renameField(form, 'name', 'familienname');
    expect(Object.keys(form.properties)).toEqual(['familienname', 'alter']);
    expect(form.required).toEqual(['familienname']);
    expect(renameField(form, 'alter', 'familienname')).toBe(form);
    form = moveField(form, 'alter', -1);
    expect(Object.keys(form.properties)).toEqual(['alter', 'familienname']);
    expect(moveField(form, 'alter', -1)).toEqual(form);
    form = removeField(form, 'familienname');
    expect(form.required).toBeUndefined();
    const field = withWidget({ type: 'string', title: 'Frage', description: 'Hilfe', 'x-visibleIf': 'a = 1' }, 'yesno');
    expect(field).toEqual({
      type: 'boolean',
      title: 'Frage',
      description: 'Hilfe',
      'x-visibleIf': 'a = 1',
      'x-widget': 'yesno',
    });
  });

  it('reads and writes choices as lines of "value = label"', () => {
    const choices = textToChoices('hund = Hund\nKatze\n\n = nur Titel');
    expect(choices).toEqual([
      { const: 'hund', title: 'Hund' },
      { const: 'Katze', title: 'Katze' },
      { const: 'nur Titel', title: 'nur Titel' },
    ]);
    expect(choicesToText({ type: 'string', oneOf: choices })).toBe('hund = Hund\nKatze\nnur Titel');
  });

  it('writes plain text fields without a widget mark and closes new groups to unknown fields', () => {
    expect(withWidget({ type: 'boolean', title: 'Name' }, 'text')).toEqual({ type: 'string', title: 'Name' });
    const form = addField(empty, '', 'Anschrift', 'group').form;
    expect(form.properties.anschrift).toEqual({
      type: 'object',
      title: 'Anschrift',
      properties: {},
      additionalProperties: false,
    });
  });

  it('sets and clears checks, and switches a number field between whole and any numbers', () => {
    let field = withWidget({ type: 'string', title: 'Hunde' }, 'number');
    field = withWholeNumbers(withRule(withRule(field, 'minimum', 0), 'default', 0), true);
    expect(field).toEqual({ type: 'integer', title: 'Hunde', 'x-widget': 'number', minimum: 0, default: 0 });
    expect(formSchema.safeParse({ type: 'object', properties: { hunde: field } }).success).toBe(true);
    field = withWholeNumbers(withRule(field, 'minimum', undefined), false);
    expect(field).toEqual({ type: 'number', title: 'Hunde', 'x-widget': 'number', default: 0 });
    expect(withRule({ type: 'string' }, 'pattern', '^[0-9]{5}$')).toEqual({ type: 'string', pattern: '^[0-9]{5}$' });
    expect([ruleNumber('20'), ruleNumber(' 0 '), ruleNumber('2,5'), ruleNumber(''), ruleNumber('viele')]).toEqual([
      20,
      0,
      2.5,
      undefined,
      undefined,
    ]);
  });
});
