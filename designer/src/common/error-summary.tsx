import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export type SummaryItem = { fieldId: string; message: string };

/**
 * The GOV.UK/KERN error summary: shown above a form after a failed submit, takes focus so screen readers
 * announce it, and links each message to its field.
 */
export function ErrorSummary({ items, title }: { items: SummaryItem[]; title?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  // Focus follows the messages, not the array: callers build it afresh on every render (each keystroke), and
  // focus must not leave the field being corrected.
  const messages = items.map((item) => `${item.fieldId}\u0000${item.message}`).join('\n');
  useEffect(() => {
    if (messages) ref.current?.focus();
  }, [messages]);
  if (!items.length) return null;
  return (
    <div ref={ref} className="kern-alert kern-alert--danger" role="alert" tabIndex={-1} aria-labelledby="fehler-titel">
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--danger" aria-hidden="true" />
        <h2 id="fehler-titel" className="kern-title">
          {title ?? t('errorSummary.title')}
        </h2>
      </div>
      <div className="kern-alert__body">
        <ul className="kern-list">
          {items.map((item) => (
            <li key={item.fieldId + item.message}>
              <a
                className="kern-link"
                href={`#${item.fieldId}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(item.fieldId)?.focus();
                }}
              >
                {item.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
