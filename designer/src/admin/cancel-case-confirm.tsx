import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { calls, keys, useAdminMutation } from './admin-api.ts';
import { ApiProblem } from './api-problem.tsx';

/** Asks before a case is cancelled (it cannot be undone), then cancels it through the engine. */
export function CancelCaseConfirm({
  caseId,
  caseNumber,
  onDone,
}: {
  caseId: string;
  caseNumber: string;
  onDone: (cancelled: boolean) => void;
}) {
  const { t } = useTranslation('admin');
  const cancel = useAdminMutation(calls.cancelCase, [keys.incidents, ['admin', 'cases'], keys.case(caseId)]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="kern-alert kern-alert--warning" aria-labelledby="abbruch-titel">
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--warning" aria-hidden="true" />
        <h2 className="kern-title" id="abbruch-titel" ref={heading} tabIndex={-1}>
          {t('cases.cancelTitle', { number: caseNumber })}
        </h2>
      </div>
      <div className="kern-alert__body kern-stack">
        <p className="kern-body">{t('cases.cancelWarning')}</p>
        <ApiProblem error={cancel.error} fieldId={() => ''} />
        <div className="admin-actions">
          <button
            type="button"
            className="kern-btn kern-btn--primary"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate(caseId, { onSuccess: () => onDone(true) })}
          >
            <span className="kern-label">{t('cases.cancelConfirm')}</span>
          </button>
          <button type="button" className="kern-btn kern-btn--secondary" onClick={() => onDone(false)}>
            <span className="kern-label">{t('common.back')}</span>
          </button>
        </div>
      </div>
    </section>
  );
}
