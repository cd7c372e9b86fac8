import type { BpmnModdle, CreatedElement } from 'bpmn-moddle';
import type { Form, FormField } from '../definition/form.schema.ts';
import type { IssueCollector } from './bpmn-issue.ts';
import { child, children, idOf, type ModdleNode, str } from './moddle-node.ts';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXPRESSION = /[$#]\{/;

/**
 * Reads `camunda:formData` into a form (JSON Schema): string/long/boolean/date/enum fields with their label and
 * the constraints required, minlength, maxlength, min and max. Whatever has no JSON Schema counterpart is
 * reported as a warning; an unusable field name is an error, since guards and mappings refer to it.
 */
export function formFromFormData(formData: ModdleNode, owner: ModdleNode, issues: IssueCollector): Form {
  const ownerId = idOf(owner);
  const properties: Record<string, FormField> = {};
  const required: string[] = [];
  for (const fieldNode of children(formData, 'fields')) {
    const id = str(fieldNode, 'id') ?? '';
    if (!FIELD_NAME.test(id)) {
      issues.error(`„${ownerId}“: Formularfeld „${id}“ hat keinen gültigen Namen (Buchstaben, Ziffern und _)`, owner);
      continue;
    }
    if (Object.hasOwn(properties, id)) {
      issues.error(`„${ownerId}“: Formularfeld „${id}“ ist doppelt definiert`, owner);
      continue;
    }
    const field = fieldFromCamunda(fieldNode, id, ownerId, owner, issues);
    for (const constraint of children(child(fieldNode, 'validation'), 'constraints')) {
      if (applyConstraint(field, str(constraint, 'name') ?? '', str(constraint, 'config'))) {
        if (str(constraint, 'name') === 'required') required.push(id);
        continue;
      }
      issues.warn(
        `„${ownerId}“: Validierung „${str(constraint, 'name') ?? ''}“ am Feld „${id}“ wird nicht übernommen`,
        owner,
      );
    }
    properties[id] = field;
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

function fieldFromCamunda(
  node: ModdleNode,
  id: string,
  ownerId: string,
  owner: ModdleNode,
  issues: IssueCollector,
): FormField {
  const type = str(node, 'type') ?? 'string';
  let field: FormField;
  switch (type) {
    case 'string':
      field = { type: 'string' };
      break;
    case 'long':
      field = { type: 'integer' };
      break;
    case 'double':
      field = { type: 'number' };
      break;
    case 'boolean':
      field = { type: 'boolean' };
      break;
    case 'date':
      field = { type: 'string', format: 'date' };
      break;
    case 'enum': {
      const options = children(node, 'values').flatMap((value) => {
        const optionId = str(value, 'id');
        return optionId === undefined ? [] : [{ const: optionId, title: str(value, 'name') ?? optionId }];
      });
      field = options.length > 0 ? { type: 'string', oneOf: options } : { type: 'string' };
      if (options.length === 0) issues.warn(`„${ownerId}“: Auswahlfeld „${id}“ hat keine Werte`, owner);
      break;
    }
    default:
      field = { type: 'string' };
      issues.warn(`„${ownerId}“: Feldtyp „${type}“ des Felds „${id}“ wird als Text übernommen`, owner);
  }
  const label = str(node, 'label');
  if (label) field.title = label.slice(0, 200);
  const defaultValue = str(node, 'defaultValue');
  if (defaultValue !== undefined) {
    const parsed = parseDefault(field, defaultValue);
    if (parsed === undefined) {
      issues.warn(`„${ownerId}“: Vorgabewert „${defaultValue}“ des Felds „${id}“ wird nicht übernommen`, owner);
    } else {
      field.default = parsed;
    }
  }
  return field;
}

function parseDefault(field: FormField, text: string): unknown {
  if (EXPRESSION.test(text)) return undefined;
  if (field.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (field.type === 'integer' || field.type === 'number') {
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number)) return undefined;
    return field.type === 'integer' && !Number.isInteger(number) ? undefined : number;
  }
  return text;
}

/** Applies one camunda constraint to the field; false when it has no JSON Schema counterpart here. */
function applyConstraint(field: FormField, name: string, config: string | undefined): boolean {
  const number = config === undefined || config.trim() === '' ? Number.NaN : Number(config);
  const plainText = field.type === 'string' && field.format === undefined && field.oneOf === undefined;
  const numeric = field.type === 'integer' || field.type === 'number';
  switch (name) {
    case 'required':
      return true;
    case 'minlength':
      if (!plainText || !Number.isInteger(number) || number < 0) return false;
      field.minLength = number;
      return true;
    case 'maxlength':
      if (!plainText || !Number.isInteger(number) || number < 1) return false;
      field.maxLength = number;
      return true;
    case 'min':
      if (!numeric || !Number.isFinite(number)) return false;
      field.minimum = number;
      return true;
    case 'max':
      if (!numeric || !Number.isFinite(number)) return false;
      field.maximum = number;
      return true;
    default:
      return false;
  }
}

type CamundaField = {
  type: 'string' | 'long' | 'boolean' | 'date' | 'enum';
  options: { id: string; name: string }[];
  constraints: { name: string; config?: string }[];
  defaultValue?: string;
};

const FIELD_KEYS: Record<string, Set<string>> = {
  integer: new Set(['type', 'title', 'minimum', 'maximum', 'default']),
  boolean: new Set(['type', 'title', 'default']),
  string: new Set(['type', 'title', 'format', 'oneOf', 'minLength', 'maxLength', 'default']),
};

/** The camunda form field for a JSON Schema field, or undefined when camunda:formData cannot express it. */
function fieldToCamunda(field: FormField): CamundaField | undefined {
  const allowed = FIELD_KEYS[field.type];
  if (!allowed || Object.keys(field).some((key) => !allowed.has(key))) return undefined;
  const constraints: { name: string; config?: string }[] = [];
  const result: CamundaField = { type: 'string', options: [], constraints };
  if (field.type === 'integer') {
    if (field.default !== undefined && !Number.isInteger(field.default)) return undefined;
    result.type = 'long';
    if (field.minimum !== undefined) constraints.push({ name: 'min', config: String(field.minimum) });
    if (field.maximum !== undefined) constraints.push({ name: 'max', config: String(field.maximum) });
  } else if (field.type === 'boolean') {
    if (field.default !== undefined && typeof field.default !== 'boolean') return undefined;
    result.type = 'boolean';
  } else {
    if (field.default !== undefined && (typeof field.default !== 'string' || EXPRESSION.test(field.default))) {
      return undefined;
    }
    const hasLength = field.minLength !== undefined || field.maxLength !== undefined;
    if (field.format === 'date') {
      if (hasLength || field.oneOf) return undefined;
      result.type = 'date';
    } else if (field.format !== undefined) {
      return undefined;
    } else if (field.oneOf) {
      if (hasLength) return undefined;
      for (const option of field.oneOf) {
        if (typeof option.const !== 'string') return undefined;
        result.options.push({ id: option.const, name: option.title });
      }
      result.type = 'enum';
    } else {
      if (field.minLength !== undefined) constraints.push({ name: 'minlength', config: String(field.minLength) });
      if (field.maxLength !== undefined) constraints.push({ name: 'maxlength', config: String(field.maxLength) });
    }
  }
  if (field.default !== undefined) result.defaultValue = String(field.default);
  return result;
}

/**
 * Whether camunda:formData carries this form without loss: flat string/long/boolean/date/enum fields, and
 * `required` (non-empty) listing fields in their order. `emptyIsRepresentable`: the citizen form may be empty
 * (no formData means an empty form), a task form may not (no formData means no form).
 */
export function isFormRepresentable(form: Form, emptyIsRepresentable: boolean): boolean {
  const allowedKeys = new Set(['type', 'properties', 'required']);
  if (Object.keys(form).some((key) => !allowedKeys.has(key))) return false;
  const names = Object.keys(form.properties);
  if (names.length === 0 && !emptyIsRepresentable) return false;
  if (names.some((name) => fieldToCamunda(form.properties[name] ?? { type: 'object' }) === undefined)) return false;
  if (form.required === undefined) return true;
  const inOrder = names.filter((name) => form.required?.includes(name));
  return (
    form.required.length > 0 &&
    form.required.length === inOrder.length &&
    form.required.every((name, index) => inOrder[index] === name)
  );
}

/** camunda:formData with every field of the form camunda can express; undefined when there is none. */
export function formToFormData(moddle: BpmnModdle, form: Form): CreatedElement | undefined {
  const fields: CreatedElement[] = [];
  for (const [id, field] of Object.entries(form.properties)) {
    const camunda = fieldToCamunda(field);
    if (!camunda) continue;
    const constraints = [...camunda.constraints];
    if (form.required?.includes(id)) constraints.unshift({ name: 'required' });
    const attrs: Record<string, unknown> = { id, type: camunda.type };
    if (field.title !== undefined) attrs.label = field.title;
    if (camunda.defaultValue !== undefined) attrs.defaultValue = camunda.defaultValue;
    if (camunda.options.length > 0) {
      attrs.values = camunda.options.map((option) => moddle.create('camunda:Value', option));
    }
    if (constraints.length > 0) {
      attrs.validation = moddle.create('camunda:Validation', {
        constraints: constraints.map((constraint) => moddle.create('camunda:Constraint', constraint)),
      });
    }
    fields.push(moddle.create('camunda:FormField', attrs));
  }
  return fields.length > 0 ? moddle.create('camunda:FormData', { fields }) : undefined;
}
