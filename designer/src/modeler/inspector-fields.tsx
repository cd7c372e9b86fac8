import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkExpression } from '../../../engine/expressions/feel.ts';
import { SelectField as CommonSelect, FieldFrame } from '../common/text-field.tsx';

type Common = { id: string; label: string; hint?: ReactNode; error?: string };

/**
 * A text or number field that edits its own copy and hands the value on when left or on Enter, so one
 * typed word is one undo step. A changed `value` from outside (undo) replaces the copy.
 */
export function CommitField({
  value,
  onCommit,
  type = 'text',
  multiline = false,
  ...common
}: Common & { value: string; onCommit(value: string): void; type?: 'text' | 'number'; multiline?: boolean }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text !== value) onCommit(text);
  };
  const props = {
    id: common.id,
    className: 'kern-form-input__input',
    value: text,
    'aria-invalid': common.error ? true : undefined,
    onBlur: commit,
  };
  return (
    <FieldFrame
      {...common}
      announceError={false}
      control={(describedBy) =>
        multiline ? (
          <textarea
            {...props}
            aria-describedby={describedBy}
            rows={3}
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commit();
            }}
          />
        ) : (
          <input
            {...props}
            aria-describedby={describedBy}
            type={type}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
            }}
          />
        )
      }
    />
  );
}

/** A FEEL expression field: checked as typed (syntax errors shown), committed like `CommitField`. */
export function FeelField({ value, onCommit, ...common }: Common & { value: string; onCommit(value: string): void }) {
  const { t } = useTranslation('modeler');
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const syntax = text.trim() ? checkExpression(text)?.message : undefined;
  return (
    <FieldFrame
      {...common}
      announceError={false}
      error={common.error ?? (syntax ? t('inspector.feelError', { message: syntax }) : undefined)}
      control={(describedBy) => (
        <textarea
          id={common.id}
          className="kern-form-input__input vw-feel"
          value={text}
          rows={2}
          spellCheck={false}
          aria-invalid={syntax || common.error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => text !== value && onCommit(text)}
        />
      )}
    />
  );
}

/** A KERN select; changes count at once (one undo step each). */
export function SelectField({
  value,
  options,
  onChange,
  ...common
}: Common & { value: string; options: { value: string; label: string }[]; onChange(value: string): void }) {
  return (
    <CommonSelect {...common} announceError={false} value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </CommonSelect>
  );
}

/** A KERN checkbox. */
export function CheckField({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
}) {
  return (
    <div className="kern-form-check">
      <input
        id={id}
        className="kern-form-check__checkbox"
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
    </div>
  );
}
