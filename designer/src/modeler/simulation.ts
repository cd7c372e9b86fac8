import { type CaseEvent, eventType } from '../../../engine/compiler/compile.ts';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import type { Form, FormField } from '../../../engine/definition/form.schema.ts';
import { allowedEvents } from '../../../engine/definition/validate.ts';
import type { CaseSnapshot, ProcedureRuntime } from '../../../engine/runtime/runtime.ts';
import {
  type FormError,
  type Issue,
  validateForm,
  visibleData,
  visibleForm,
  withDefaults,
} from '../forms/validate-form.ts';

/** One button of the simulator: the transition's event name and the machine event it sends. */
export type SimulatedEvent = { on: string; event: CaseEvent };

/**
 * The events the case's current state takes, as the engine would receive them: task outcomes, a connector's
 * `done` (with the given result) or `failed`, a wait state's messages, a timer's `timeout`.
 */
export function availableEvents(
  runtime: ProcedureRuntime,
  snapshot: CaseSnapshot,
  serviceResult: unknown,
): SimulatedEvent[] {
  const state = runtime.definition.states[snapshot.value];
  if (!state || snapshot.status !== 'active') return [];
  const names =
    state.kind === 'wait'
      ? [...new Set(state.transitions.flatMap((t) => (t.on ? [t.on] : [])))]
      : (allowedEvents(state) ?? []);
  return names
    .map((on): SimulatedEvent => {
      const type = eventType(state, on);
      const event: CaseEvent =
        type === 'job:done'
          ? { type, result: serviceResult }
          : type === 'job:failed'
            ? { type, error: { code: 'simulation', message: 'Simulierter Fehler' } }
            : ({ type } as CaseEvent);
      return { on, event };
    })
    .filter(({ event }) => runtime.accepts(snapshot, event));
}

/** Plausible sample data for a form: each field gets a value of its kind (first choice, today's date …). */
export function sampleData(form: { properties?: Record<string, FormField> }, today: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    const value = sampleValue(field, today);
    if (value !== undefined) data[name] = value;
  }
  return data;
}

function sampleValue(field: FormField, today: string): unknown {
  if (field.default !== undefined) return field.default;
  if (field.oneOf?.length) return field.oneOf[0]!.const;
  if (field.enum?.length) return field.enum[0];
  switch (field.type) {
    case 'object':
      return sampleData(field, today);
    case 'boolean':
      return true;
    case 'number':
    case 'integer':
      return field.minimum ?? 1;
    case 'array':
      return [];
    default:
      if (field.format === 'date') return today;
      if (field.format === 'date-time') return `${today}T09:00:00Z`;
      if (field.format === 'email') return 'beispiel@example.org';
      if (field.format === 'data-url') return undefined;
      return 'Beispiel';
  }
}

/** The variables the engine provides to every case, filled with simulation values. */
export function simulationVariables(definition: Definition, now: Date): Record<string, unknown> {
  return {
    caseId: 'simulation',
    caseNumber: `${definition.caseNumberPrefix}-${now.getFullYear()}-000001`,
    trackingCode: 'SIMULATION',
    submittedAt: now.toISOString(),
    statusUrl: 'http://localhost/status/SIMULATION',
  };
}

/**
 * A simulated task completion with the task form's data, checked as the server checks a real one: the portal's
 * validator over the case variables, then only the shown fields with their defaults go into the event, so guards
 * that read them behave as in a real case. Errors carry the field paths for the form.
 */
export function taskCompletion(
  form: Form | undefined,
  outcome: string,
  values: Record<string, unknown>,
  vars: Record<string, unknown>,
  message?: (issue: Issue) => string,
): { errors: FormError[] } | { data: Record<string, unknown>; event: CaseEvent } {
  if (!form) return { data: {}, event: { type: `task:${outcome}`, data: {} } };
  const errors = validateForm(form, values, { scope: vars, message });
  if (errors.length) return { errors };
  const data = withDefaults(visibleForm(form, values, vars), visibleData(form, values, vars));
  return { data, event: { type: `task:${outcome}`, data } };
}
