import { z } from '@hono/zod-openapi';
import type { State } from '../../engine/definition/definition.schema.ts';
import type { Form } from '../../engine/definition/form.schema.ts';
import { validateFormData } from '../forms/form-validator.ts';
import { Problem } from '../http/problem.ts';

/** The body of a task completion: the outcome (optional when the task has only one) and the task form's data. */
export const Completion = z
  .object({ outcome: z.string().max(40).optional(), data: z.record(z.string(), z.unknown()).default({}) })
  .openapi('TaskCompletion');

/** The outcomes a task state offers: its own, or the single `done`. */
export function taskOutcomes(state: State & { kind: 'task' }) {
  return state.outcomes?.length ? state.outcomes : [{ id: 'done', label: 'Erledigt' }];
}

/**
 * Checks a completion against the task's step as the inbox does: the step must still be a task, the outcome one of
 * its outcomes, the data valid for its form (validated against the case variables; cleaned data returned). Throws a
 * 409 or 422 problem naming the field.
 */
export function checkedCompletion(
  state: State | undefined,
  body: z.infer<typeof Completion>,
  vars: Record<string, unknown>,
): { outcome: string; data: Record<string, unknown> } {
  if (state?.kind !== 'task') throw new Problem(409, 'Aufgabe nicht bearbeitbar', 'Der Schritt ist keine Aufgabe mehr');
  const outcomes = taskOutcomes(state).map((o) => o.id);
  const outcome = body.outcome ?? (outcomes.length === 1 ? outcomes[0] : undefined);
  if (!outcome || !outcomes.includes(outcome)) {
    throw new Problem(422, 'Ergebnis fehlt oder ist unbekannt', undefined, [
      { path: 'outcome', message: `Erlaubt: ${outcomes.join(', ')}` },
    ]);
  }
  if (!state.form) return { outcome, data: body.data };
  return { outcome, data: checkedFormData(state.form, body.data, vars, 'Formular ungültig') };
}

/**
 * Form data validated against its form (and the variables its conditions read) and cleaned; otherwise a 422 problem
 * titled `title` naming every field under `data.`.
 */
export function checkedFormData(
  form: Form,
  data: Record<string, unknown>,
  scope: Record<string, unknown>,
  title: string,
  detail?: (errors: number) => string,
): Record<string, unknown> {
  const checked = validateFormData(form, data, scope);
  if (checked.ok) return checked.data;
  throw new Problem(
    422,
    title,
    detail?.(checked.errors.length),
    checked.errors.map((e) => ({ ...e, path: `data.${e.path}` })),
  );
}
