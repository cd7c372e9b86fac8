import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormField } from '../../../engine/definition/form.schema.ts';
import { describeDataUrl, fileProblem, formatBytes, typeName } from './widgets.ts';

type Props = {
  id: string;
  /** The field; for a list of files (`type: array`) its `items` carry the limits. */
  field: FormField;
  label: ReactNode;
  hint?: string;
  value: unknown;
  error?: string;
  onChange(value: unknown): void;
};

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/**
 * A file field: each chosen file travels as a data URL (a list of them for `type: array`). Allowed types and the
 * size limit are shown up front, and a file outside them is refused here with a message (the server could only
 * say "Ungültiges Format").
 */
export function FileInput({ id, field, label, hint, value, error, onChange }: Props) {
  const { t, i18n } = useTranslation('portal', { keyPrefix: 'form' });
  const [refused, setRefused] = useState<string>();
  const multiple = field.type === 'array';
  const file = multiple ? (field.items ?? field) : field;
  const accept = file['x-accept'] ?? [];
  const limit = file['x-maxBytes'];
  const types = accept.map(typeName).join(', ');
  const limits = [
    accept.length ? t('fileTypes', { types }) : '',
    limit ? t('fileSize', { size: formatBytes(limit, i18n.language) }) : '',
  ]
    .filter(Boolean)
    .join(' ');
  const shown = refused ?? error;
  const files = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  const describedBy = [hint ? `${id}-hinweis` : '', limits ? `${id}-grenzen` : '', shown ? `${id}-fehler` : '']
    .filter(Boolean)
    .join(' ');
  const update = (next: string[]) => onChange(multiple ? (next.length ? next : undefined) : next[0]);
  const describe = (dataUrl: string, index: number) => {
    const about = describeDataUrl(dataUrl);
    const facts = {
      n: index + 1,
      type: about ? typeName(about.type) : '?',
      size: about ? formatBytes(about.bytes, i18n.language) : '?',
    };
    return multiple
      ? { text: t('fileNumbered', facts), remove: t('fileRemoveNumbered', facts) }
      : { text: t('fileChosen', facts), remove: t('fileRemove') };
  };

  return (
    <div className={`kern-form-input${shown ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="kern-hint" id={`${id}-hinweis`}>
          {hint}
        </div>
      )}
      {limits && (
        <div className="kern-hint" id={`${id}-grenzen`}>
          {limits}
        </div>
      )}
      {shown && (
        <p className="kern-error" id={`${id}-fehler`}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{shown}</span>
        </p>
      )}
      <input
        className="kern-form-input__input form-view__file"
        id={id}
        type="file"
        multiple={multiple}
        accept={accept.join(',') || undefined}
        aria-describedby={describedBy || undefined}
        aria-invalid={shown ? true : undefined}
        onChange={async (event) => {
          const picked = Array.from(event.target.files ?? []);
          event.target.value = '';
          if (!picked.length) return;
          const problem = picked.map((f) => fileProblem(f, file)).find(Boolean);
          if (problem) {
            setRefused(
              problem.kind === 'type'
                ? t('fileWrongType', { types })
                : t('fileTooLarge', { size: formatBytes(problem.limit, i18n.language) }),
            );
            return;
          }
          setRefused(undefined);
          const read = await Promise.all(picked.map(readAsDataUrl));
          update(multiple ? [...new Set([...files, ...read])] : read);
        }}
      />
      {files.length > 0 && (
        <ul className="form-view__chosen" aria-live="polite">
          {files.map((dataUrl, index) => {
            const { text, remove } = describe(dataUrl, index);
            return (
              <li key={`${dataUrl.length}-${dataUrl.slice(-32)}`}>
                <span className="kern-body">{text}</span>
                <button
                  type="button"
                  className="kern-btn kern-btn--tertiary"
                  onClick={() => update(files.filter((_, i) => i !== index))}
                >
                  <span className="kern-label">{remove}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
