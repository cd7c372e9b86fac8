import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actions, type TaskContext, useInboxAction } from './inbox-api.ts';
import { useDates } from './use-dates.ts';

/** Internal notes on the case (staff only, never shown to the applicant), newest last, and a field to add one. */
export function TaskNotes({ taskId, notes }: { taskId: string; notes: TaskContext['notes'] }) {
  const { t } = useTranslation('inbox');
  const dates = useDates();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const add = useInboxAction(actions.addNote, { onSuccess: () => setText(''), onError: (e) => setError(e.message) });
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) {
      setError(t('notes.empty'));
      return;
    }
    setError('');
    add.mutate({ id: taskId, text });
  }

  return (
    <div className="kern-stack">
      {notes.length === 0 ? (
        <p className="kern-body">{t('notes.none')}</p>
      ) : (
        <ul className="kern-list inbox-notes">
          {notes.map((n) => (
            <li key={n.id}>
              <p className="kern-hint">{t('notes.by', { author: n.author, at: dates.dateTime(n.at) })}</p>
              <p className="kern-body inbox-notes__text">{n.text}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate className="kern-stack">
        <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor={id}>
            {t('notes.new')}
          </label>
          <div className="kern-hint" id={`${id}-hinweis`}>
            {t('notes.hint')}
          </div>
          {error && (
            <p className="kern-error" id={`${id}-fehler`} role="alert">
              <span className="kern-body">{error}</span>
            </p>
          )}
          <textarea
            id={id}
            className="kern-form-input__input"
            rows={3}
            maxLength={4000}
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-hinweis${error ? ` ${id}-fehler` : ''}`}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <div>
          <button type="submit" className="kern-btn kern-btn--secondary" disabled={add.isPending}>
            <span className="kern-label">{t('notes.save')}</span>
          </button>
        </div>
      </form>
    </div>
  );
}
