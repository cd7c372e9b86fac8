import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

type Frame = { id: string; label: string; error?: string; hint?: ReactNode };
type Props = Frame & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;
type AreaProps = Frame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>;
type SelectProps = Frame & { announceError?: boolean } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>;

/**
 * Label, optional hint and error message of a KERN field; `control` gets the ids that describe it. The error is
 * announced (`role="alert"`) unless `announceError` is false: fields checked while typing must not interrupt.
 */
export function FieldFrame({
  id,
  label,
  error,
  hint,
  control,
  announceError = true,
}: Frame & { control: (describedBy?: string) => ReactNode; announceError?: boolean }) {
  const describedBy = [hint ? `${id}-hinweis` : '', error ? `${id}-fehler` : ''].filter(Boolean).join(' ');
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="kern-hint" id={`${id}-hinweis`}>
          {hint}
        </div>
      )}
      {error && (
        <p className="kern-error" id={`${id}-fehler`} role={announceError ? 'alert' : undefined}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      )}
      {control(describedBy || undefined)}
    </div>
  );
}

/** The attributes that tie a control to its frame: id, invalid state and the ids of hint and error. */
const described = (id: string, error: string | undefined, describedBy: string | undefined) => ({
  id,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': describedBy,
});

/** A KERN text input with its label, optional hint and error message wired up for screen readers. */
export function TextField({ id, label, error, hint, ...input }: Props) {
  return (
    <FieldFrame
      id={id}
      label={label}
      error={error}
      hint={hint}
      control={(describedBy) => (
        <input className="kern-form-input__input" {...described(id, error, describedBy)} {...input} />
      )}
    />
  );
}

/** The multi-line sibling of {@link TextField} (a postal address, a note). */
export function TextAreaField({ id, label, error, hint, ...area }: AreaProps) {
  return (
    <FieldFrame
      id={id}
      label={label}
      error={error}
      hint={hint}
      control={(describedBy) => (
        <textarea className="kern-form-input__input" {...described(id, error, describedBy)} {...area} />
      )}
    />
  );
}

/** A KERN select with its label, optional hint and error message; the options are its children. */
export function SelectField({ id, label, error, hint, announceError, children, ...select }: SelectProps) {
  return (
    <FieldFrame
      id={id}
      label={label}
      error={error}
      hint={hint}
      announceError={announceError}
      control={(describedBy) => (
        <div className="kern-form-input__select-wrapper">
          <select className="kern-form-input__select" {...described(id, error, describedBy)} {...select}>
            {children}
          </select>
        </div>
      )}
    />
  );
}
