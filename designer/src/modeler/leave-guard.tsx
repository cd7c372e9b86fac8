import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

/**
 * Asks before unsaved edits are lost: leaving the editor inside the app (any path outside `base`; its own views share
 * the edits) opens a modal dialog whose first button, "keep editing", has the focus and is what Escape does; closing or
 * reloading the tab gets the browser's own question (`beforeunload`). Nothing is asked while `dirty` is false.
 */
export function LeaveGuard({ dirty, base }: { dirty: boolean; base: string }) {
  const { t } = useTranslation('modeler');
  const dialog = useRef<HTMLDialogElement>(null);
  const blocker = useBlocker(
    ({ nextLocation }) => dirty && nextLocation.pathname !== base && !nextLocation.pathname.startsWith(`${base}/`),
  );
  const blocked = blocker.state === 'blocked';

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the question only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  useEffect(() => {
    const element = dialog.current;
    if (blocked && !element?.open) element?.showModal();
    if (!blocked && element?.open) element.close();
  }, [blocked]);

  return (
    <dialog
      ref={dialog}
      className="kern-dialog vw-dialog"
      aria-labelledby="verlassen-titel"
      aria-describedby="verlassen-text"
      onCancel={(event) => {
        event.preventDefault();
        blocker.reset?.();
      }}
    >
      <header className="kern-dialog__header">
        <h2 className="kern-title" id="verlassen-titel">
          {t('leave.title')}
        </h2>
      </header>
      <section className="kern-dialog__body">
        <p className="kern-body" id="verlassen-text">
          {t('leave.text')}
        </p>
      </section>
      <footer className="kern-dialog__footer">
        <button type="button" className="kern-btn kern-btn--primary" onClick={() => blocker.reset?.()}>
          <span className="kern-label">{t('leave.stay')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--secondary" onClick={() => blocker.proceed?.()}>
          <span className="kern-label">{t('leave.discard')}</span>
        </button>
      </footer>
    </dialog>
  );
}
