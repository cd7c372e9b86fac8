import type { ConnectorCatalog } from '../connectors/connector.ts';
import { checkExpression, referencedVariables } from '../expressions/feel.ts';
import { type Definition, definitionSchema, type State } from './definition.schema.ts';
import { type FormField, formFieldPaths } from './form.schema.ts';

/** One problem of a definition, with the JSON path of the offending part. */
export type Problem = {
  path: string;
  code:
    | 'schema'
    | 'unknown-target'
    | 'unknown-initial'
    | 'unreachable'
    | 'no-way-out'
    | 'no-default'
    | 'invalid-event'
    | 'outcome-without-transition'
    | 'unknown-group'
    | 'unknown-connector'
    | 'unknown-operation'
    | 'unbound-connector'
    | 'invalid-expression'
    | 'undefined-variable'
    | 'unknown-input-field';
  message: string;
  /** The state the problem belongs to, so the designer can put a marker on it. */
  stateId?: string;
};

/** What the validator checks references against; leave a part out to skip those checks. */
export type ValidationContext = { groups?: readonly string[]; connectors?: ConnectorCatalog };

/** Variables the engine itself provides to every expression. */
const ENGINE_VARIABLES = ['caseId', 'caseNumber', 'trackingCode', 'submittedAt', 'statusUrl'];

/** The events a state may name in `on`; `undefined` means any message name (wait states). */
export function allowedEvents(state: State): string[] | undefined {
  switch (state.kind) {
    case 'task': {
      const outcomes = state.outcomes?.length ? state.outcomes.map((o) => o.id) : ['done'];
      return state.timeout ? [...outcomes, 'timeout'] : outcomes;
    }
    case 'service':
      return ['done', 'failed'];
    case 'timer':
      return ['timeout'];
    case 'wait':
      return undefined;
    case 'decision':
    case 'final':
      return [];
  }
}

/**
 * Validates a definition and reports every problem at once: schema errors first (then nothing else can be
 * checked), otherwise graph, reference and expression problems.
 */
export function validateDefinition(input: unknown, context: ValidationContext = {}): Problem[] {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      code: 'schema',
      message: issue.message,
      stateId: issue.path[0] === 'states' && typeof issue.path[1] === 'string' ? issue.path[1] : undefined,
    }));
  }
  return validateParsed(parsed.data, context);
}

function validateParsed(def: Definition, context: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const stateIds = new Set(Object.keys(def.states));
  const known = knownVariables(def);

  const expression = (path: string, expr: string, stateId: string | undefined, extra: string[] = []) => {
    const error = checkExpression(expr);
    if (error) {
      problems.push({ path, code: 'invalid-expression', message: error.message, stateId });
      return;
    }
    for (const name of referencedVariables(expr)) {
      if (!known.has(name) && !extra.includes(name)) {
        problems.push({
          path,
          code: 'undefined-variable',
          message: `„${name}“ ist weder ein Formularfeld noch eine Variable des Verfahrens`,
          stateId,
        });
      }
    }
  };

  if (!stateIds.has(def.initial)) {
    problems.push({ path: 'initial', code: 'unknown-initial', message: `Startzustand „${def.initial}“ gibt es nicht` });
  }
  formConditions(def.form, 'form', undefined, expression);

  for (const [id, state] of Object.entries(def.states)) {
    const base = `states.${id}`;
    const allowed = allowedEvents(state);
    state.transitions.forEach((t, i) => {
      const path = `${base}.transitions.${i}`;
      if (!stateIds.has(t.target)) {
        problems.push({
          path: `${path}.target`,
          code: 'unknown-target',
          message: `Ziel „${t.target}“ gibt es nicht`,
          stateId: id,
        });
      }
      if (state.kind === 'decision') {
        if (t.on !== undefined) {
          problems.push({
            path: `${path}.on`,
            code: 'invalid-event',
            message: 'Eine Entscheidung wartet auf kein Ereignis',
            stateId: id,
          });
        }
      } else if (t.on === undefined) {
        problems.push({ path: `${path}.on`, code: 'invalid-event', message: 'Übergang ohne Ereignis', stateId: id });
      } else if (allowed && !allowed.includes(t.on)) {
        problems.push({
          path: `${path}.on`,
          code: 'invalid-event',
          message: `„${t.on}“ ist hier kein gültiges Ereignis (erlaubt: ${allowed.join(', ') || 'keine'})`,
          stateId: id,
        });
      }
      if (t.guard) {
        const local =
          state.kind === 'task' ? [...taskFields(state), 'outcome'] : state.kind === 'service' ? ['result'] : [];
        expression(`${path}.guard`, t.guard, id, local);
      }
    });

    switch (state.kind) {
      case 'final':
        break;
      case 'decision': {
        const last = state.transitions.at(-1);
        if (state.transitions.length === 0) {
          problems.push({
            path: `${base}.transitions`,
            code: 'no-way-out',
            message: 'Entscheidung ohne Ausgang',
            stateId: id,
          });
        } else if (last?.guard) {
          problems.push({
            path: `${base}.transitions`,
            code: 'no-default',
            message: 'Der letzte Ausgang einer Entscheidung braucht keine Bedingung (Standardweg)',
            stateId: id,
          });
        }
        break;
      }
      default:
        if (state.transitions.length === 0) {
          problems.push({
            path: `${base}.transitions`,
            code: 'no-way-out',
            message: 'Zustand ohne Ausgang',
            stateId: id,
          });
        }
    }

    for (const [name, delay] of [
      ['delay', state.kind === 'timer' ? state.delay : undefined],
      ['timeout', 'timeout' in state ? state.timeout : undefined],
      ['due', state.kind === 'task' ? state.due : undefined],
    ] as const) {
      if (delay && 'at' in delay) expression(`${base}.${name}.at`, delay.at, id);
    }

    if (state.kind === 'task') {
      if (context.groups && !context.groups.includes(state.group)) {
        problems.push({
          path: `${base}.group`,
          code: 'unknown-group',
          message: `Gruppe „${state.group}“ gibt es nicht`,
          stateId: id,
        });
      }
      const events = new Set(state.transitions.map((t) => t.on));
      for (const outcome of state.outcomes?.length ? state.outcomes.map((o) => o.id) : ['done']) {
        if (!events.has(outcome)) {
          problems.push({
            path: `${base}.outcomes`,
            code: 'outcome-without-transition',
            message: `Für das Ergebnis „${outcome}“ gibt es keinen Übergang`,
            stateId: id,
          });
        }
      }
      if (state.form) formConditions(state.form, `${base}.form`, id, expression);
    }

    if (state.kind === 'service') {
      if (!state.connector) {
        problems.push({
          path: `${base}.connector`,
          code: 'unbound-connector',
          message: 'Keine Anbindung gewählt',
          stateId: id,
        });
      } else if (context.connectors) {
        const connector = context.connectors[state.connector];
        if (!connector) {
          problems.push({
            path: `${base}.connector`,
            code: 'unknown-connector',
            message: `Anbindung „${state.connector}“ ist nicht installiert`,
            stateId: id,
          });
        } else if (!connector.operations[state.operation]) {
          problems.push({
            path: `${base}.operation`,
            code: 'unknown-operation',
            message: `„${state.connector}“ hat keine Operation „${state.operation}“`,
            stateId: id,
          });
        } else {
          const fields = connector.operations[state.operation]?.inputFields ?? [];
          for (const field of Object.keys(state.input)) {
            if (!fields.includes(field)) {
              problems.push({
                path: `${base}.input.${field}`,
                code: 'unknown-input-field',
                message: `Die Operation kennt kein Eingabefeld „${field}“`,
                stateId: id,
              });
            }
          }
        }
      }
      for (const [field, expr] of Object.entries(state.input)) expression(`${base}.input.${field}`, expr, id);
      for (const [field, expr] of Object.entries(state.result))
        expression(`${base}.result.${field}`, expr, id, ['result']);
    }
  }

  for (const id of unreachable(def)) {
    problems.push({
      path: `states.${id}`,
      code: 'unreachable',
      message: 'Zustand ist vom Start aus nicht erreichbar',
      stateId: id,
    });
  }
  return problems;
}

function taskFields(state: Extract<State, { kind: 'task' }>): string[] {
  return state.form ? Object.keys(state.form.properties) : [];
}

function formConditions(
  form: { properties?: Record<string, FormField> },
  path: string,
  stateId: string | undefined,
  check: (path: string, expr: string, stateId: string | undefined, extra?: string[]) => void,
) {
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    const fieldPath = `${path}.properties.${name}`;
    if (field['x-visibleIf'])
      check(`${fieldPath}.x-visibleIf`, field['x-visibleIf'], stateId, Object.keys(form.properties ?? {}));
    if (field.type === 'object') formConditions(field, fieldPath, stateId, check);
  }
}

/** Names an expression may read: application and task form fields, constants, result mappings, engine variables. */
function knownVariables(def: Definition): Set<string> {
  const names = new Set<string>(ENGINE_VARIABLES);
  for (const path of formFieldPaths(def.form)) names.add(path.split('.')[0]!);
  for (const name of Object.keys(def.constants)) names.add(name);
  for (const state of Object.values(def.states)) {
    if (state.kind === 'task' && state.form) for (const name of Object.keys(state.form.properties)) names.add(name);
    if (state.kind === 'service') for (const name of Object.keys(state.result)) names.add(name.split('.')[0]!);
  }
  return names;
}

/** States no path from the start reaches (with an unknown start, the first state stands in for it). */
function unreachable(def: Definition): string[] {
  const start = def.states[def.initial] ? def.initial : Object.keys(def.states)[0];
  if (start === undefined) return [];
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const id = queue.shift()!;
    for (const t of def.states[id]?.transitions ?? []) {
      if (!seen.has(t.target) && def.states[t.target]) {
        seen.add(t.target);
        queue.push(t.target);
      }
    }
  }
  return Object.keys(def.states).filter((id) => !seen.has(id));
}
