import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Form, FormField } from '../../../engine/definition/form.schema.ts';
import { isRecord, visibleForm } from './validate-form.ts';
import { choicesOf, describeDataUrl, formatBytes, typeName, widgetOf } from './widgets.ts';

type Props = {
  form: Form;
  values: Record<string, unknown>;
  scope?: Record<string, unknown>;
  /** Only this top-level group. */
  group?: string;
  /** A link to change a group's answers ("Ändern"), shown under each group (check-your-answers). */
  changeLink?: (group: string, title: string) => ReactNode;
};

/** The answers of a form as KERN summaries, one per group, only the fields currently shown. */
export function FormSummary({ form, values, scope = {}, group, changeLink }: Props) {
  const { t, i18n } = useTranslation('portal', { keyPrefix: 'form' });
  const shown = visibleForm(form, values, scope);

  function display(field: FormField, value: unknown): string {
    if (value === undefined || value === '') return t('empty');
    const widget = widgetOf(field);
    if (widget === 'yesno') return value === true ? t('yes') : t('no');
    if (widget === 'choice') return choicesOf(field).find((c) => c.value === value)?.label ?? String(value);
    if (widget === 'multiple' && Array.isArray(value)) {
      const options = choicesOf(field.items ?? field);
      return value.map((v) => options.find((c) => c.value === v)?.label ?? String(v)).join(', ');
    }
    if (widget === 'file') {
      const files = (Array.isArray(value) ? value : [value]).map((v) => describeDataUrl(String(v)));
      return files
        .map((file) =>
          file ? t('fileChosen', { type: typeName(file.type), size: formatBytes(file.bytes, i18n.language) }) : '?',
        )
        .join(', ');
    }
    if (widget === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(value));
    }
    if (typeof value === 'number') return new Intl.NumberFormat(i18n.language).format(value);
    return String(value);
  }

  function list(properties: Record<string, FormField>, data: Record<string, unknown>) {
    return (
      <dl className="kern-description-list">
        {Object.entries(properties)
          .filter(([, field]) => field.type !== 'object')
          .map(([name, field]) => (
            <div key={name} className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{field.title ?? name}</dt>
              <dd className="kern-description-list-item__value form-summary__value">{display(field, data[name])}</dd>
            </div>
          ))}
      </dl>
    );
  }

  const groups = Object.entries(shown.properties ?? {}).filter(
    ([name, field]) => field.type === 'object' && (!group || name === group),
  );
  const loose = Object.fromEntries(Object.entries(shown.properties ?? {}).filter(([, f]) => f.type !== 'object'));
  return (
    <div className="kern-stack">
      {!group && Object.keys(loose).length > 0 && list(loose, values)}
      {groups.map(([name, field]) => {
        const title = field.title ?? name;
        const data = values[name];
        return (
          <section key={name} className="kern-summary" aria-labelledby={`zusammenfassung-${name}`}>
            <div className="kern-summary__header">
              <h2 className="kern-title" id={`zusammenfassung-${name}`}>
                {title}
              </h2>
            </div>
            <div className="kern-summary__body">
              {list(field.properties ?? {}, isRecord(data) ? data : {})}
              {changeLink?.(name, title)}
            </div>
          </section>
        );
      })}
    </div>
  );
}
