import { useTranslation } from 'react-i18next';
import type { FormField } from '../../../engine/definition/form.schema.ts';
import { type Rule, ruleNumber, type Widget, withRule, withWholeNumbers } from './form-edits.ts';
import { CheckField, CommitField } from './inspector-fields.tsx';

const TEXT_WIDGETS: Widget[] = ['text', 'textarea', 'address', 'email'];
const MEGABYTE = 1024 * 1024;

/**
 * The checks of one field of the form editor, by widget: lengths and pattern for text, whole numbers, bounds and
 * default for numbers, accepted types and size for files. Empty means "no check".
 */
export function FieldRules({
  id,
  field,
  widget,
  onChange,
}: {
  id: string;
  field: FormField;
  widget: Widget;
  onChange(next: FormField): void;
}) {
  const { t } = useTranslation('modeler');
  const numberRule = (rule: Exclude<Rule, 'pattern' | 'x-accept' | 'x-maxBytes'>, suffix: string) => (
    <CommitField
      id={`${id}-${suffix}`}
      type="number"
      label={t(`forms.rules.${rule}`)}
      value={typeof field[rule] === 'number' ? String(field[rule]) : ''}
      onCommit={(text) => onChange(withRule(field, rule, ruleNumber(text)))}
    />
  );
  if (TEXT_WIDGETS.includes(widget)) {
    return (
      <div className="vw-field__rules">
        {numberRule('minLength', 'min-laenge')}
        {numberRule('maxLength', 'max-laenge')}
        {widget === 'text' && (
          <CommitField
            id={`${id}-muster`}
            label={t('forms.rules.pattern')}
            hint={t('forms.rules.patternHint')}
            value={field.pattern ?? ''}
            onCommit={(pattern) => onChange(withRule(field, 'pattern', pattern || undefined))}
          />
        )}
      </div>
    );
  }
  if (widget === 'number') {
    return (
      <div className="vw-field__rules">
        <CheckField
          id={`${id}-ganzzahl`}
          label={t('forms.rules.whole', { label: field.title ?? '' })}
          checked={field.type === 'integer'}
          onChange={(whole) => onChange(withWholeNumbers(field, whole))}
        />
        {numberRule('minimum', 'minimum')}
        {numberRule('maximum', 'maximum')}
        {numberRule('default', 'vorbelegung')}
      </div>
    );
  }
  if (widget === 'file') {
    return (
      <div className="vw-field__rules">
        <CommitField
          id={`${id}-typen`}
          label={t('forms.rules.accept')}
          hint={t('forms.rules.acceptHint')}
          value={(field['x-accept'] ?? []).join(', ')}
          onCommit={(text) => {
            const types = text
              .split(',')
              .map((type) => type.trim())
              .filter(Boolean);
            onChange(withRule(field, 'x-accept', types.length ? types : undefined));
          }}
        />
        <CommitField
          id={`${id}-groesse`}
          type="number"
          label={t('forms.rules.maxMegabytes')}
          value={field['x-maxBytes'] ? String(field['x-maxBytes'] / MEGABYTE) : ''}
          onCommit={(text) => {
            const mb = ruleNumber(text);
            onChange(withRule(field, 'x-maxBytes', mb && mb > 0 ? Math.round(mb * MEGABYTE) : undefined));
          }}
        />
      </div>
    );
  }
  return null;
}
