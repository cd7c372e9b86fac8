import { useTranslation } from 'react-i18next';
import { TextField } from '../common/text-field.tsx';
import type { JsonSchema } from './admin-api.ts';
import { editableProperties, type SchemaValues } from './schema-values.ts';

function inputType(property: JsonSchema): string {
  if (property.type === 'integer' || property.type === 'number') return 'number';
  if (property.format === 'uri') return 'url';
  if (property.format === 'email') return 'email';
  return 'text';
}

/**
 * The fields of a flat JSON Schema object (a connector's configuration): text, number, URL and e-mail inputs, a
 * select for enums and a checkbox for booleans, each labelled with the property's title or name.
 */
export function SchemaFields({
  idPrefix,
  schema,
  values,
  errors,
  onChange,
}: {
  idPrefix: string;
  schema: JsonSchema;
  values: SchemaValues;
  errors: Record<string, string | undefined>;
  onChange: (name: string, value: string | boolean) => void;
}) {
  const { t } = useTranslation('admin');
  return (
    <>
      {editableProperties(schema).map(([name, property]) => {
        const id = `${idPrefix}-${name}`;
        const label = property.title ?? name;
        const required = schema.required?.includes(name) ?? false;
        const value = values[name];
        if (property.type === 'boolean') {
          return (
            <div className="kern-form-check" key={name}>
              <input
                className="kern-form-check__checkbox"
                type="checkbox"
                id={id}
                checked={value === true}
                onChange={(event) => onChange(name, event.target.checked)}
              />
              <label className="kern-label" htmlFor={id}>
                {label}
              </label>
            </div>
          );
        }
        const hint = [property.description, required ? t('form.required') : t('form.optional')]
          .filter(Boolean)
          .join(' · ');
        if (property.enum) {
          return (
            <div className={`kern-form-input${errors[name] ? ' kern-form-input--error' : ''}`} key={name}>
              <label className="kern-label" htmlFor={id}>
                {label}
              </label>
              <div className="kern-form-input__select-wrapper">
                <select
                  className="kern-form-input__select"
                  id={id}
                  value={String(value ?? '')}
                  onChange={(event) => onChange(name, event.target.value)}
                >
                  {!required && <option value="">{t('form.none')}</option>}
                  {property.enum.map((option) => (
                    <option key={String(option)} value={String(option)}>
                      {String(option)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          );
        }
        return (
          <TextField
            key={name}
            id={id}
            label={label}
            hint={hint}
            error={errors[name]}
            type={inputType(property)}
            inputMode={property.type === 'integer' ? 'numeric' : undefined}
            min={property.minimum}
            max={property.maximum}
            required={required}
            value={String(value ?? '')}
            onChange={(event) => onChange(name, event.target.value)}
          />
        );
      })}
    </>
  );
}
