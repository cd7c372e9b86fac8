import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';

const SHORTCUTS = ['undo', 'redo', 'save', 'delete', 'move', 'select', 'help'] as const;

/** The editor's keyboard shortcuts, opened with `?`; a native modal dialog (focus trap, Escape closes). */
export const ShortcutsDialog = forwardRef<HTMLDialogElement>(function ShortcutsDialog(_, ref) {
  const { t } = useTranslation('modeler');
  return (
    <dialog ref={ref} className="kern-dialog vw-dialog" aria-labelledby="kuerzel-titel">
      <header className="kern-dialog__header">
        <h2 id="kuerzel-titel" className="kern-title">
          {t('shortcuts.title')}
        </h2>
      </header>
      <div className="kern-dialog__body">
        <table className="kern-table">
          <caption className="visually-hidden">{t('shortcuts.title')}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">
                {t('shortcuts.keys')}
              </th>
              <th scope="col" className="kern-table__header">
                {t('shortcuts.action')}
              </th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {SHORTCUTS.map((s) => (
              <tr key={s} className="kern-table__row">
                <td className="kern-table__cell">
                  <kbd>{t(`shortcuts.${s}.keys`)}</kbd>
                </td>
                <td className="kern-table__cell">{t(`shortcuts.${s}.action`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <footer className="kern-dialog__footer">
        <form method="dialog">
          <button type="submit" className="kern-btn kern-btn--primary">
            <span className="kern-label">{t('shortcuts.close')}</span>
          </button>
        </form>
      </footer>
    </dialog>
  );
});
