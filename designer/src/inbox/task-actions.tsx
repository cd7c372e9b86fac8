import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isConflict } from './conflict.ts';
import { actions, type TaskContext, type TaskDetail, useInboxAction } from './inbox-api.ts';
import { useDates } from './use-dates.ts';

type Props = { task: TaskDetail; context: TaskContext; me: string; onConflict(message: string): void };

/** Claim, release, hand over to a colleague of the group, and the follow-up date (Wiedervorlage). */
export function TaskActions({ task, context, me, onConflict }: Props) {
  const { t } = useTranslation('inbox');
  const dates = useDates();
  const [to, setTo] = useState('');
  const [until, setUntil] = useState('');
  const [untilError, setUntilError] = useState('');
  const ids = { to: useId(), until: useId() };
  const failed = (key: string) => (error: Error) =>
    onConflict(isConflict(error) ? t(`conflict.${key}`) : error.message);
  const claim = useInboxAction(actions.claim, { onError: failed('claim') });
  const release = useInboxAction(actions.release, { onError: failed('release') });
  const handOver = useInboxAction(actions.handOver, { onSuccess: () => setTo(''), onError: failed('handOver') });
  const setFollowUp = useInboxAction(actions.setFollowUp, {
    onSuccess: () => setUntil(''),
    onError: (error) => {
      if (isConflict(error)) failed('followUp')(error);
      else setUntilError(t('followUp.invalid'));
    },
  });
  const clearFollowUp = useInboxAction(actions.clearFollowUp, { onError: failed('followUp') });
  const mine = task.assignee === me;

  if (task.state !== 'open') return null;

  function submitFollowUp(event: FormEvent) {
    event.preventDefault();
    if (!until) {
      setUntilError(t('followUp.missing'));
      return;
    }
    setUntilError('');
    setFollowUp.mutate({ id: task.id, until });
  }

  return (
    <div className="kern-stack">
      <div className="inbox-actions">
        {task.assignee === null && (
          <button type="button" className="kern-btn kern-btn--primary" onClick={() => claim.mutate(task.id)}>
            <span className="kern-label">{t('actions.claim')}</span>
          </button>
        )}
        {mine && (
          <button type="button" className="kern-btn kern-btn--secondary" onClick={() => release.mutate(task.id)}>
            <span className="kern-label">{t('actions.release')}</span>
          </button>
        )}
      </div>
      {(mine || task.assignee === null) && (
        <form
          className="inbox-actions"
          onSubmit={(event) => {
            event.preventDefault();
            if (to) handOver.mutate({ id: task.id, to });
          }}
        >
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={ids.to}>
              {t('actions.handOverTo')}
            </label>
            <div className="kern-form-input__select-wrapper">
              <select
                id={ids.to}
                className="kern-form-input__select"
                value={to}
                onChange={(e) => setTo(e.target.value)}
              >
                <option value="">{t('bulk.choose')}</option>
                {context.members
                  .filter((m) => m !== me)
                  .map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
              </select>
            </div>
          </div>
          <button type="submit" className="kern-btn kern-btn--secondary" disabled={!to}>
            <span className="kern-label">{t('actions.handOver')}</span>
          </button>
        </form>
      )}
      {context.followUp && (
        <div className="inbox-actions">
          <p className="kern-body">{t('followUp.current', { date: dates.date(context.followUp.until) })}</p>
          <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => clearFollowUp.mutate(task.id)}>
            <span className="kern-label">{t('followUp.clear')}</span>
          </button>
        </div>
      )}
      {mine && (
        <form className="inbox-actions" onSubmit={submitFollowUp} noValidate>
          <div className={`kern-form-input${untilError ? ' kern-form-input--error' : ''}`}>
            <label className="kern-label" htmlFor={ids.until}>
              {t('followUp.until')}
            </label>
            <div className="kern-hint" id={`${ids.until}-hinweis`}>
              {t('followUp.hint')}
            </div>
            {untilError && (
              <p className="kern-error" id={`${ids.until}-fehler`} role="alert">
                <span className="kern-body">{untilError}</span>
              </p>
            )}
            <input
              id={ids.until}
              className="kern-form-input__input"
              type="date"
              value={until}
              aria-invalid={untilError ? true : undefined}
              aria-describedby={`${ids.until}-hinweis${untilError ? ` ${ids.until}-fehler` : ''}`}
              onChange={(event) => setUntil(event.target.value)}
            />
          </div>
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-label">{t('followUp.set')}</span>
          </button>
        </form>
      )}
    </div>
  );
}
