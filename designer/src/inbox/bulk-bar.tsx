import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actions, type BulkResult, useColleagues, useInboxAction } from './inbox-api.ts';

type Props = {
  selected: string[];
  /** Called with the ids that failed, which stay selected. */
  onDone(failed: string[]): void;
  /** The group of a selected task shown on this page (to offer only colleagues of that group). */
  groupsOf(id: string): string | undefined;
};

/** Actions on the checked tasks: claim all, hand all over to a colleague; reports per task what did not work. */
export function BulkBar({ selected, onDone, groupsOf }: Props) {
  const { t } = useTranslation('inbox');
  const colleagues = useColleagues();
  const [to, setTo] = useState('');
  const [result, setResult] = useState<{ done: number; failed: BulkResult } | null>(null);
  const toId = useId();
  const groups = new Set(selected.map(groupsOf).filter((g): g is string => g !== undefined));
  const offered = (colleagues.data ?? []).filter((c) => [...groups].every((g) => c.groups.includes(g)));

  const finish = (results: BulkResult) => {
    const failed = results.filter((r) => !r.ok);
    setResult({ done: results.length - failed.length, failed });
    onDone(failed.map((r) => r.id));
  };
  const claimAll = useInboxAction(actions.claimAll, { onSuccess: finish });
  const handOverAll = useInboxAction(actions.handOverAll, { onSuccess: finish });

  return (
    <section className="inbox-bulk" aria-label={t('bulk.label')}>
      <p className="kern-body">{t('bulk.selected', { count: selected.length })}</p>
      <button
        type="button"
        className="kern-btn kern-btn--secondary"
        disabled={selected.length === 0 || claimAll.isPending}
        onClick={() => claimAll.mutate(selected)}
      >
        <span className="kern-label">{t('bulk.claim')}</span>
      </button>
      <div className="kern-form-input">
        <label className="kern-label" htmlFor={toId}>
          {t('bulk.to')}
        </label>
        <div className="kern-form-input__select-wrapper">
          <select id={toId} className="kern-form-input__select" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">{t('bulk.choose')}</option>
            {offered.map((c) => (
              <option key={c.username} value={c.username}>
                {c.username}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button
        type="button"
        className="kern-btn kern-btn--secondary"
        disabled={selected.length === 0 || !to || handOverAll.isPending}
        onClick={() => handOverAll.mutate({ ids: selected, to })}
      >
        <span className="kern-label">{t('bulk.handOver')}</span>
      </button>
      <div role="status" className="inbox-bulk__result">
        {result && (
          <p className={`kern-alert ${result.failed.length ? 'kern-alert--danger' : 'kern-alert--success'}`}>
            <span className="kern-body">
              {t('bulk.result', { count: result.done })}
              {result.failed.length > 0 &&
                ` ${t('bulk.failed', {
                  count: result.failed.length,
                  reasons: [...new Set(result.failed.map((r) => t(`bulk.reasons.${r.reason ?? 'taken'}`)))].join(', '),
                })}`}
            </span>
          </p>
        )}
        {(claimAll.isError || handOverAll.isError) && (
          <p className="kern-alert kern-alert--danger">
            <span className="kern-body">{(claimAll.error ?? handOverAll.error)?.message}</span>
          </p>
        )}
      </div>
    </section>
  );
}
