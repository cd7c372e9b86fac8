import type { Form, FormField } from '../../../engine/definition/form.schema.ts';
import { FieldInput } from './field-input.tsx';
import { FormSummary } from './form-summary.tsx';
import { valueAt, withValueAt } from './form-values.ts';
import { type FormError, isRecord, isVisible } from './validate-form.ts';
import './forms.css';

/** Props of {@link FormView}. */
export type FormViewProps = {
  form: Form;
  values: Record<string, unknown>;
  onChange(values: Record<string, unknown>): void;
  /** Errors with the server's dotted paths (`person.familyName`), from `validateForm` or a 422 answer. */
  errors: FormError[];
  /** Prefix of every field's id, unique on the page; see {@link fieldId}. */
  idPrefix: string;
  /** Shows the answers as a description list instead of inputs. */
  readOnly?: boolean;
  /** Renders only this top-level group (one step of the citizen portal); its title is the page's heading. */
  group?: string;
  /** Variables `x-visibleIf` may read besides the form data (procedure constants); default none. */
  scope?: Record<string, unknown>;
};

/** The id of a field's input, for labels and for the error summary's links (`antrag-person-familyName`). */
export function fieldId(idPrefix: string, path: string): string {
  return `${idPrefix}-${path.replaceAll('.', '-')}`;
}

type Level = {
  properties: Record<string, FormField>;
  required: string[];
  prefix: string;
  context: Record<string, unknown>;
};

/**
 * Renders a form schema with KERN markup: one input per field by its widget, groups as fieldsets (or one group
 * alone as a step), labels, hints and errors wired up with aria-describedby, fields hidden while `x-visibleIf` fails.
 */
export function FormView({ form, values, onChange, errors, idPrefix, readOnly, group, scope = {} }: FormViewProps) {
  if (readOnly) return <FormSummary form={form} values={values} scope={scope} group={group} />;
  /** A field's error; an array field also shows its items' errors (`tags.1`). */
  const errorAt = (path: string) => errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  const set = (path: string, value: unknown) => onChange(withValueAt(values, path, value));

  function level({ properties, required, prefix, context }: Level) {
    return Object.entries(properties).map(([name, field]) => {
      if (!isVisible(field, context)) return null;
      const path = prefix ? `${prefix}.${name}` : name;
      if (field.type === 'object') {
        const value = valueAt(values, path);
        const id = fieldId(idPrefix, path);
        const error = errors.find((e) => e.path === path)?.message;
        return (
          <fieldset key={path} className={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} id={id} tabIndex={-1}>
            <legend className="kern-label">{field.title ?? name}</legend>
            {field.description && <div className="kern-hint">{field.description}</div>}
            {error && <p className="kern-error">{error}</p>}
            <div className="kern-fieldset__body">
              {level({
                properties: field.properties ?? {},
                required: field.required ?? [],
                prefix: path,
                context: { ...context, ...(isRecord(value) ? value : {}) },
              })}
            </div>
          </fieldset>
        );
      }
      return (
        <FieldInput
          key={path}
          id={fieldId(idPrefix, path)}
          field={field}
          label={field.title ?? name}
          required={required.includes(name)}
          value={valueAt(values, path)}
          error={errorAt(path)}
          onChange={(value) => set(path, value)}
        />
      );
    });
  }

  const top = { ...scope, ...values };
  if (group) {
    const step = form.properties[group];
    const value = values[group];
    return (
      <div className="form-view">
        {level({
          properties: step?.properties ?? {},
          required: step?.required ?? [],
          prefix: group,
          context: { ...top, ...(isRecord(value) ? value : {}) },
        })}
      </div>
    );
  }
  return (
    <div className="form-view">
      {level({ properties: form.properties, required: form.required ?? [], prefix: '', context: top })}
    </div>
  );
}
