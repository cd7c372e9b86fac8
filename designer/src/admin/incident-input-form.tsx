import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';
import { ErrorSummary } from '../common/error-summary.tsx';
import { calls, type Incident, keys, useAdminMutation, useIncident } from './admin-api.ts';
import { QueryState } from './query-state.tsx';

/** Edits the input of an incident's call as JSON and retries it; the server checks it against the operation. */
export function IncidentInputForm({ incident, onDone }: { incident: Incident; onDone: (retried: boolean) => void }) {
  const { t } = useTranslation('admin');
  const detail = useIncident(incident.id);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="kern-card admin-card" aria-labelledby="eingabe-titel">
      <div className="kern-card__container kern-stack">
        <h2 className="kern-title" id="eingabe-titel" ref={heading} tabIndex={-1}>
          {t('incidents.inputTitle', { number: incident.caseNumber })}
        </h2>
        <QueryState query={detail}>
          {(loaded) => (
            <InputEditor id={incident.id} initial={loaded.input} fields={loaded.inputSchema} onDone={onDone} />
          )}
        </QueryState>
      </div>
    </section>
  );
}

function InputEditor({
  id,
  initial,
  fields,
  onDone,
}: {
  id: string;
  initial: Record<string, unknown>;
  fields: { properties?: Record<string, unknown>; required?: string[] } | null;
  onDone: (retried: boolean) => void;
}) {
  const { t } = useTranslation('admin');
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [invalid, setInvalid] = useState(false);
  const save = useAdminMutation(calls.retryWithInput, [keys.incidents]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      input = undefined;
    }
    const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
    setInvalid(!isObject);
    if (!isObject) return;
    save.mutate({ id, input: input as Record<string, unknown> }, { onSuccess: () => onDone(true) });
  };
  const problems = invalid
    ? [t('incidents.inputNotJson')]
    : save.error instanceof ApiError
      ? save.error.errors.length
        ? save.error.errors.map((e) => `${e.path}: ${e.message}`)
        : [save.error.message]
      : [];
  const field = `eingabe-${id}`;
  return (
    <form className="kern-stack" noValidate onSubmit={submit}>
      <ErrorSummary items={problems.map((message) => ({ fieldId: field, message }))} />
      <div className={`kern-form-input${problems.length ? ' kern-form-input--error' : ''}`}>
        <label className="kern-label" htmlFor={field}>
          {t('incidents.input')}
        </label>
        <div className="kern-hint" id={`${field}-hinweis`}>
          {t('incidents.inputHint', {
            fields: Object.keys(fields?.properties ?? {}).join(', ') || '–',
            required: (fields?.required ?? []).join(', ') || '–',
          })}
        </div>
        <textarea
          className="kern-form-input__input admin-json"
          id={field}
          rows={12}
          spellCheck={false}
          value={text}
          aria-describedby={`${field}-hinweis`}
          aria-invalid={problems.length ? true : undefined}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div className="admin-actions">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('incidents.retryWithInput')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--secondary" onClick={() => onDone(false)}>
          <span className="kern-label">{t('common.back')}</span>
        </button>
      </div>
    </form>
  );
}
