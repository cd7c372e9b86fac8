import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormField } from '../../../engine/definition/form.schema.ts';
import { FileInput } from './file-input.tsx';
import { choicesOf, parseDate, parseNumber, showDate, widgetOf } from './widgets.ts';

type Props = {
  id: string;
  field: FormField;
  label: string;
  required: boolean;
  value: unknown;
  error?: string;
  onChange(value: unknown): void;
};

function ErrorText({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p className="kern-error" id={`${id}-fehler`}>
      <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
      <span className="kern-body">{error}</span>
    </p>
  );
}

/** One field by its widget: text, textarea, number, date, e-mail, choice (radios), yes/no, several choices, file. */
export function FieldInput({ id, field, label, required, value, error, onChange }: Props) {
  const { t } = useTranslation('portal', { keyPrefix: 'form' });
  const widget = widgetOf(field);
  const hint = [field.description, widget === 'date' ? t('dateHint') : ''].filter(Boolean).join(' ');
  const describedBy = [hint ? `${id}-hinweis` : '', error ? `${id}-fehler` : ''].filter(Boolean).join(' ') || undefined;
  const labelText: ReactNode = (
    <>
      {label}
      {!required && <span className="kern-label__optional"> {t('optional')}</span>}
    </>
  );
  const hintText = hint && (
    <div className="kern-hint" id={`${id}-hinweis`}>
      {hint}
    </div>
  );

  if (widget === 'choice' || widget === 'yesno' || widget === 'multiple') {
    const options =
      widget === 'yesno'
        ? [
            { value: true, label: t('yes') },
            { value: false, label: t('no') },
          ]
        : choicesOf(widget === 'multiple' ? (field.items ?? field) : field);
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} aria-describedby={describedBy}>
        <legend className="kern-label">{labelText}</legend>
        {hintText}
        <ErrorText id={id} error={error} />
        <div className="kern-fieldset__body">
          {options.map((option, index) => {
            const optionId = index === 0 ? id : `${id}-${index}`;
            const multiple = widget === 'multiple';
            const checked = multiple ? chosen.includes(option.value) : value === option.value;
            return (
              <div key={String(option.value)} className="kern-form-check">
                <input
                  className={`kern-form-check__${multiple ? 'checkbox' : 'radio'}${error ? ` kern-form-check__${multiple ? 'checkbox' : 'radio'}--error` : ''}`}
                  type={multiple ? 'checkbox' : 'radio'}
                  id={optionId}
                  name={id}
                  checked={checked}
                  aria-invalid={error ? true : undefined}
                  onChange={() => {
                    if (!multiple) return onChange(option.value);
                    const next = checked ? chosen.filter((v) => v !== option.value) : [...chosen, option.value];
                    onChange(next.length ? next : undefined);
                  }}
                />
                <label className="kern-label" htmlFor={optionId}>
                  {option.label}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    );
  }

  if (widget === 'file') {
    return (
      <FileInput id={id} field={field} label={labelText} hint={hint} value={value} error={error} onChange={onChange} />
    );
  }

  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    'aria-required': required || undefined,
  };
  const inputClass = `kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`;
  const text = (v: string) => onChange(v === '' ? undefined : v);
  let input: ReactNode;
  if (widget === 'textarea') {
    input = (
      <textarea
        {...common}
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        rows={5}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => text(e.target.value)}
      />
    );
  } else if (widget === 'number') {
    input = (
      <input
        {...common}
        className={`${inputClass} form-view__number`}
        type="text"
        inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(parseNumber(e.target.value))}
      />
    );
  } else if (widget === 'date') {
    input = (
      <input
        {...common}
        className={`${inputClass} form-view__date`}
        type="text"
        inputMode="numeric"
        value={showDate(value)}
        onChange={(e) => onChange(parseDate(e.target.value))}
      />
    );
  } else {
    input = (
      <input
        {...common}
        className={inputClass}
        type={widget === 'email' ? 'email' : 'text'}
        autoComplete={widget === 'address' ? 'street-address' : widget === 'email' ? 'email' : undefined}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => text(e.target.value)}
      />
    );
  }
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {labelText}
      </label>
      {hintText}
      <ErrorText id={id} error={error} />
      {input}
    </div>
  );
}
