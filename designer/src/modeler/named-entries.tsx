import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { renameEntry, setEntry, withoutEntry } from './entry-edits.ts';
import { CommitField } from './inspector-fields.tsx';

/**
 * An editable list of named values (a service step's result mapping, the procedure's constants): per row the
 * name, the value field `renderValue` draws, and a remove button; below, a button that adds a row.
 */
export function NamedEntries<T>({
  id,
  legend,
  hint,
  entries,
  nameLabel,
  addLabel,
  newName,
  newValue,
  renderValue,
  onChange,
}: {
  id: string;
  legend: string;
  hint: string;
  entries: Record<string, T>;
  /** The label of row n's name field. */
  nameLabel(n: number): string;
  addLabel: string;
  /** The name of an added row (numbered when taken) and its value. */
  newName: string;
  newValue: T;
  renderValue(value: T, n: number, set: (value: T) => void): ReactNode;
  onChange(next: Record<string, T>): void;
}) {
  const { t } = useTranslation('modeler');
  const names = Object.keys(entries);
  const add = () => {
    let name = newName;
    for (let n = 2; name in entries; n++) name = `${newName}${n}`;
    onChange(setEntry(entries, name, newValue));
  };
  return (
    <fieldset className="kern-fieldset vw-entries">
      <legend className="kern-label">{legend}</legend>
      <p className="kern-hint">{hint}</p>
      {names.map((name, i) => (
        <div key={name} className="vw-entry">
          <CommitField
            id={`${id}-${i}-name`}
            label={nameLabel(i + 1)}
            value={name}
            onCommit={(to) => onChange(renameEntry(entries, name, to.trim()))}
          />
          {renderValue(entries[name] as T, i + 1, (value) => onChange(setEntry(entries, name, value)))}
          <button
            type="button"
            className="kern-btn kern-btn--tertiary vw-small"
            onClick={() => onChange(withoutEntry(entries, name))}
          >
            <span className="kern-label">{t('entries.remove', { name })}</span>
          </button>
        </div>
      ))}
      <button type="button" className="kern-btn kern-btn--secondary" onClick={add}>
        <span className="kern-label">{addLabel}</span>
      </button>
    </fieldset>
  );
}
