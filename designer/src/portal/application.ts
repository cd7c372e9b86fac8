import type { Form } from '../../../engine/definition/form.schema.ts';
import type { FormError } from '../forms/validate-form.ts';
import type { Service } from './catalogue.ts';

/** A published procedure with its application form (`GET /api/procedures/{key}`). */
export type Procedure = Service & { form: Form };

/** The answer to a submitted application (`POST /api/applications`). */
export type Submitted = { caseId: string; caseNumber: string; trackingCode: string; status: string | null };

/** The public status of an application (`GET /api/status/{trackingCode}`); `payUrl` while a payment is open. */
export type PublicStatus = {
  procedure: string;
  caseNumber: string;
  status: string | null;
  done: boolean;
  history: { at: string; status: string }[];
  payUrl?: string;
  /** Outcome of the case's last payment; only for cases that took a payment. */
  paymentStatus?: 'open' | 'paid' | 'failed' | 'cancelled';
};

/**
 * The steps of an application: one per top-level group; a form with fields outside groups is one step of
 * its own (`undefined`: the whole form).
 */
export function stepsOf(form: Form): (string | undefined)[] {
  const entries = Object.entries(form.properties);
  return entries.length && entries.every(([, field]) => field.type === 'object')
    ? entries.map(([name]) => name)
    : [undefined];
}

/** The errors that belong to a step (a group's fields, or all for the whole form). */
export function errorsOfStep(errors: FormError[], step: string | undefined): FormError[] {
  return step === undefined ? errors : errors.filter((e) => e.path === step || e.path.startsWith(`${step}.`));
}

/** The server names failing fields `data.person.familyName`; the form knows them as `person.familyName`. */
export function formErrorsOf(errors: { path: string; message: string }[]): FormError[] {
  return errors.filter((e) => e.path.startsWith('data.')).map((e) => ({ ...e, path: e.path.slice('data.'.length) }));
}

/** A draft application kept in this browser until it is submitted or discarded. */
export type Draft = { version: number; values: Record<string, unknown>; savedAt: string };

const draftKey = (procedure: string) => `verfahrenswerk.entwurf.${procedure}`;

/** The saved draft of a procedure's application, if any and readable. */
export function loadDraft(storage: Pick<Storage, 'getItem'>, procedure: string): Draft | undefined {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(draftKey(procedure)) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const draft = parsed as Partial<Draft>;
    if (typeof draft.version !== 'number' || typeof draft.savedAt !== 'string') return undefined;
    if (typeof draft.values !== 'object' || draft.values === null || Array.isArray(draft.values)) return undefined;
    return draft as Draft;
  } catch {
    return undefined;
  }
}

/** Saves the draft; the browser may refuse (quota, private mode), then the draft lives only in the page. */
export function saveDraft(storage: Pick<Storage, 'setItem'>, procedure: string, draft: Draft): boolean {
  try {
    storage.setItem(draftKey(procedure), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

/** Forgets the draft (after submitting, or when the citizen discards it). */
export function discardDraft(storage: Pick<Storage, 'removeItem'>, procedure: string): void {
  storage.removeItem(draftKey(procedure));
}
