import { type FormEvent, type RefObject, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Form, FormField } from '../../../engine/definition/form.schema.ts';
import { ApiError } from '../app/api.ts';
import { ErrorSummary } from '../common/error-summary.tsx';
import { initialValues } from '../forms/form-values.ts';
import { FormView, fieldId } from '../forms/form-view.tsx';
import { useIssueMessage } from '../forms/use-issue-message.ts';
import { type FormError, validateForm } from '../forms/validate-form.ts';
import { isConflict } from './conflict.ts';
import { actions, type TaskDetail, useInboxAction } from './inbox-api.ts';

const ID_PREFIX = 'aufgabe';
const OUTCOME = 'outcome';

/** The label of the field at a dotted path, for the error summary ("Erledigt am: Pflichtfeld"). */
function labelAt(form: Form | null, path: string): string | undefined {
  let field: FormField | Form | undefined = form ?? undefined;
  for (const part of path.split('.')) field = field?.properties?.[part];
  return field && 'title' in field ? field.title : undefined;
}

type Props = {
  task: TaskDetail;
  formRef: RefObject<HTMLFormElement | null>;
  onCompleted(): void;
  onConflict(message: string): void;
};

/** The task's own form and its outcomes; validates in the browser first, then shows the server's field errors. */
export function TaskCompletion({ task, formRef, onCompleted, onConflict }: Props) {
  const { t } = useTranslation('inbox');
  const issueMessage = useIssueMessage();
  const [values, setValues] = useState<Record<string, unknown>>(() => ({
    ...(task.form ? initialValues(task.form) : {}),
    ...(task.data ?? {}),
  }));
  const [outcome, setOutcome] = useState(task.outcomes.length === 1 ? (task.outcomes[0]?.id ?? '') : '');
  const [errors, setErrors] = useState<FormError[]>([]);
  const complete = useInboxAction(actions.complete, {
    onSuccess: onCompleted,
    onError: (error) => {
      if (isConflict(error)) onConflict(t('conflict.complete'));
      else if (error instanceof ApiError && error.errors.length)
        setErrors(error.errors.map((e) => ({ path: e.path.replace(/^data\./, ''), message: e.message })));
      else onConflict(error.message);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = [
      ...(outcome ? [] : [{ path: OUTCOME, message: t('complete.outcomeMissing') }]),
      ...(task.form ? validateForm(task.form, values, { scope: task.caseData, message: issueMessage }) : []),
    ];
    setErrors(found);
    if (found.length) return;
    complete.mutate({ id: task.id, outcome, data: values });
  }

  const summary = errors.map((e) => ({
    fieldId: e.path === OUTCOME ? `${ID_PREFIX}-${OUTCOME}-${task.outcomes[0]?.id}` : fieldId(ID_PREFIX, e.path),
    message: `${e.path === OUTCOME ? t('complete.outcome') : (labelAt(task.form, e.path) ?? e.path)}: ${e.message}`,
  }));
  const outcomeError = errors.find((e) => e.path === OUTCOME)?.message;

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="kern-stack">
      <ErrorSummary items={summary} />
      {task.form && (
        <FormView
          form={task.form}
          values={values}
          onChange={setValues}
          errors={errors.filter((e) => e.path !== OUTCOME)}
          idPrefix={ID_PREFIX}
          scope={task.caseData}
        />
      )}
      <fieldset className={`kern-fieldset${outcomeError ? ' kern-fieldset--error' : ''}`}>
        <legend className="kern-label">{t('complete.outcome')}</legend>
        <div className="kern-fieldset__body">
          {outcomeError && (
            <p className="kern-error" id={`${ID_PREFIX}-${OUTCOME}-fehler`}>
              <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
              <span className="kern-body">{outcomeError}</span>
            </p>
          )}
          {task.outcomes.map((o) => (
            <div key={o.id} className="kern-form-check">
              <input
                className={`kern-form-check__radio${outcomeError ? ' kern-form-check__radio--error' : ''}`}
                type="radio"
                id={`${ID_PREFIX}-${OUTCOME}-${o.id}`}
                name={OUTCOME}
                value={o.id}
                checked={outcome === o.id}
                aria-describedby={outcomeError ? `${ID_PREFIX}-${OUTCOME}-fehler` : undefined}
                onChange={() => setOutcome(o.id)}
              />
              <label className="kern-label" htmlFor={`${ID_PREFIX}-${OUTCOME}-${o.id}`}>
                {o.label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div>
        <button type="submit" className="kern-btn kern-btn--primary" disabled={complete.isPending}>
          <span className="kern-label">{t('complete.submit')}</span>
        </button>
      </div>
    </form>
  );
}
