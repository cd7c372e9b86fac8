import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Form } from '../../../engine/definition/form.schema.ts';
import { ErrorSummary } from '../common/error-summary.tsx';
import { fieldAt } from '../forms/form-values.ts';
import { FormView, fieldId } from '../forms/form-view.tsx';
import { useIssueMessage } from '../forms/use-issue-message.ts';
import { type FormError, isRecord, validateForm } from '../forms/validate-form.ts';

const ID_PREFIX = 'testlauf-antrag';
const JSON_FIELD = 'testlauf-json';

type Props = {
  form: Form;
  scope: Record<string, unknown>;
  initial: Record<string, unknown>;
  /** The server's field errors of the last start (paths without `data.`). */
  serverErrors: FormError[];
  pending: boolean;
  restart: boolean;
  onStart(data: Record<string, unknown>): void;
};

/**
 * The application data of a test run, edited in the procedure's own form (the portal's `FormView` and validator) or
 * as JSON; switching carries the data over.
 */
export function TestRunData({ form, scope, initial, serverErrors, pending, restart, onStart }: Props) {
  const { t } = useTranslation('modeler');
  const issueMessage = useIssueMessage();
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [values, setValues] = useState(initial);
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [errors, setErrors] = useState<FormError[]>([]);
  const shown = errors.length ? errors : serverErrors;
  // A new list of items moves the focus to the summary: only when the errors change, not on every keystroke.
  const items = useMemo(
    () =>
      shown.map((e) => ({
        fieldId: e.path === JSON_FIELD || mode === 'json' ? JSON_FIELD : fieldId(ID_PREFIX, e.path),
        message: e.path === JSON_FIELD ? e.message : `${fieldAt(form, e.path)?.title ?? e.path}: ${e.message}`,
      })),
    [shown, mode, form],
  );

  /** The data as currently entered, or the error that keeps the JSON from being read. */
  const current = (): { data: Record<string, unknown> } | { error: FormError } => {
    if (mode === 'form') return { data: values };
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? { data: parsed } : { error: { path: JSON_FIELD, message: t('simulator.notObject') } };
    } catch (error) {
      const message = t('simulator.badJson', { message: error instanceof Error ? error.message : String(error) });
      return { error: { path: JSON_FIELD, message } };
    }
  };
  const switchTo = (next: 'form' | 'json') => {
    const read = current();
    if ('error' in read) return setErrors([read.error]);
    setErrors([]);
    if (next === 'json') setText(JSON.stringify(read.data, null, 2));
    else setValues(read.data);
    setMode(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = current();
    if ('error' in read) return setErrors([read.error]);
    const found = validateForm(form, read.data, { scope, message: issueMessage });
    setErrors(found);
    if (!found.length) onStart(read.data);
  };

  return (
    <form className="kern-stack vw-test-run__data" onSubmit={submit} noValidate>
      <ErrorSummary title={t('testRun.dataErrors')} items={items} />
      <fieldset className="kern-fieldset">
        <legend className="kern-label">{t('testRun.dataMode')}</legend>
        <div className="kern-fieldset__body kern-fieldset__body--horizontal">
          {(['form', 'json'] as const).map((m) => (
            <div key={m} className="kern-form-check">
              <input
                className="kern-form-check__radio"
                type="radio"
                id={`testlauf-eingabe-${m}`}
                name="testlauf-eingabe"
                checked={mode === m}
                onChange={() => switchTo(m)}
              />
              <label className="kern-label" htmlFor={`testlauf-eingabe-${m}`}>
                {t(`testRun.mode.${m}`)}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {mode === 'form' ? (
        <FormView form={form} values={values} onChange={setValues} errors={shown} idPrefix={ID_PREFIX} scope={scope} />
      ) : (
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={JSON_FIELD}>
            {t('simulator.data')}
          </label>
          <textarea
            id={JSON_FIELD}
            className="kern-form-input__input vw-feel"
            rows={12}
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      )}
      <div>
        <button type="submit" className="kern-btn kern-btn--primary" disabled={pending}>
          <span className="kern-label">{restart ? t('testRun.restart') : t('testRun.start')}</span>
        </button>
      </div>
    </form>
  );
}
