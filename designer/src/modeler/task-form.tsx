import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Form } from '../../../engine/definition/form.schema.ts';
import { ErrorSummary } from '../common/error-summary.tsx';
import { fieldAt, initialValues } from '../forms/form-values.ts';
import { FormView, fieldId } from '../forms/form-view.tsx';
import { useIssueMessage } from '../forms/use-issue-message.ts';
import type { FormError } from '../forms/validate-form.ts';
import { taskCompletion } from './simulation.ts';

type Props = {
  form: Form | null | undefined;
  outcomes: readonly { id: string; label: string }[];
  /** The case variables the form's conditions may read. */
  scope: Record<string, unknown>;
  /** Unique on the page: prefix of the field ids. */
  idPrefix: string;
  /** Field errors the server answered (paths without `data.`). */
  serverErrors?: FormError[];
  pending?: boolean;
  onComplete(outcome: string, data: Record<string, unknown>): void;
};

/**
 * A task's form (the shared `FormView`) with one button per outcome, for the simulator and the test run. The data is
 * checked by the portal's validator first and sent as the server would keep it (shown fields, defaults filled).
 */
const NONE: FormError[] = [];

export function TaskForm({ form, outcomes, scope, idPrefix, serverErrors = NONE, pending, onComplete }: Props) {
  const { t } = useTranslation('modeler');
  const issueMessage = useIssueMessage();
  const [values, setValues] = useState<Record<string, unknown>>(() => (form ? initialValues(form) : {}));
  const [errors, setErrors] = useState<FormError[]>([]);
  const shown = errors.length ? errors : serverErrors;
  // A new list of items moves the focus to the summary: only when the errors change, not on every keystroke.
  const items = useMemo(
    () =>
      shown.map((e) => ({
        fieldId: fieldId(idPrefix, e.path),
        message: `${(form && fieldAt(form, e.path)?.title) ?? e.path}: ${e.message}`,
      })),
    [shown, form, idPrefix],
  );

  const complete = (outcome: string) => {
    const result = taskCompletion(form ?? undefined, outcome, values, scope, issueMessage);
    if ('errors' in result) return setErrors(result.errors);
    setErrors([]);
    onComplete(outcome, result.data);
  };

  return (
    <div className="kern-stack vw-task-form">
      <ErrorSummary title={t('taskForm.errors')} items={items} />
      {form && (
        <FormView form={form} values={values} onChange={setValues} errors={shown} idPrefix={idPrefix} scope={scope} />
      )}
      <fieldset className="kern-fieldset vw-simulator__events">
        <legend className="kern-label">{t('taskForm.outcomes')}</legend>
        {outcomes.map((o) => (
          <button
            key={o.id}
            type="button"
            className="kern-btn kern-btn--secondary"
            disabled={pending}
            onClick={() => complete(o.id)}
          >
            <span className="kern-label">{t('taskForm.complete', { outcome: o.label })}</span>
          </button>
        ))}
      </fieldset>
    </div>
  );
}
