import { forwardRef } from 'react';

/** A row of the shortcut help: the keys as shown (`Strg + Eingabe`) and what they do. */
export type ShortcutHelp = { keys: string; label: string };

/** The modal list of keyboard shortcuts (`?`); a native dialog, so focus is trapped and Escape closes it. */
export const ShortcutsDialog = forwardRef<
  HTMLDialogElement,
  { items: ShortcutHelp[]; title: string; closeLabel: string; className: string }
>(function ShortcutsDialog({ items, title, closeLabel, className }, ref) {
  return (
    <dialog ref={ref} className={`kern-dialog ${className}`} aria-labelledby="tastenkuerzel-titel">
      <header className="kern-dialog__header">
        <h2 className="kern-title" id="tastenkuerzel-titel">
          {title}
        </h2>
      </header>
      <section className="kern-dialog__body">
        <dl className="kern-description-list">
          {items.map((item) => (
            <div className="kern-description-list-item" key={item.keys}>
              <dt className="kern-description-list-item__key">
                <kbd>{item.keys}</kbd>
              </dt>
              <dd className="kern-description-list-item__value">{item.label}</dd>
            </div>
          ))}
        </dl>
      </section>
      <footer className="kern-dialog__footer">
        <form method="dialog">
          <button type="submit" className="kern-btn kern-btn--primary">
            <span className="kern-label">{closeLabel}</span>
          </button>
        </form>
      </footer>
    </dialog>
  );
});
