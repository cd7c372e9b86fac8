import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import type { Form, FormField } from '../../../engine/definition/form.schema.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { FormView } from '../forms/form-view.tsx';
import { replaceState } from './definition-edits.ts';
import { useEditorOutlet } from './editor-page.tsx';
import { FieldRules } from './field-rules.tsx';
import {
  addField,
  choicesToText,
  isRequired,
  moveField,
  removeField,
  renameField,
  setRequired,
  textToChoices,
  updateField,
  WIDGETS,
  type Widget,
  widgetOf,
  withWidget,
} from './form-edits.ts';
import { CheckField, CommitField, FeelField, SelectField } from './inspector-fields.tsx';

const APPLICATION = '';

function formOf(definition: Definition, target: string): Form | undefined {
  if (target === APPLICATION) return definition.form;
  const state = definition.states[target];
  return state?.kind === 'task' ? state.form : undefined;
}

function withForm(definition: Definition, target: string, form: Form): Definition {
  if (target === APPLICATION) return { ...definition, form };
  const state = definition.states[target];
  return state?.kind === 'task' ? replaceState(definition, target, { ...state, form }) : definition;
}

/** `/designer/:key/formular`: the application form and the task forms, field by field, with a live preview. */
export function FormEditorView() {
  const { t } = useTranslation('modeler');
  const { store, definition } = useEditorOutlet();
  usePageTitle(t('forms.pageTitle', { title: definition.title }));
  const [target, setTarget] = useState(APPLICATION);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const tasks = Object.entries(definition.states).filter(([, s]) => s.kind === 'task');
  const form = formOf(definition, target);
  const edit = (change: (form: Form) => Form) =>
    store.getState().apply((d) => {
      const current = formOf(d, target);
      if (!current) return d;
      const next = change(current);
      return next === current ? d : withForm(d, target, next);
    });

  return (
    <div className="vw-forms">
      <h2 className="kern-heading kern-heading-medium">{t('forms.title')}</h2>
      <SelectField
        id="formular-wahl"
        label={t('forms.which')}
        value={target}
        options={[
          { value: APPLICATION, label: t('forms.application') },
          ...tasks.map(([id, s]) => ({ value: id, label: t('forms.taskForm', { title: s.title ?? id }) })),
        ]}
        onChange={(next) => {
          setTarget(next);
          setValues({});
        }}
      />
      {!form ? (
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          onClick={() =>
            store
              .getState()
              .apply((d) => withForm(d, target, { type: 'object', properties: {}, additionalProperties: false }))
          }
        >
          <span className="kern-label">{t('forms.createTaskForm')}</span>
        </button>
      ) : (
        <div className="vw-forms__columns">
          <section aria-labelledby="felder-titel">
            <h3 id="felder-titel" className="kern-heading kern-heading-small">
              {t('forms.fields')}
            </h3>
            <CommitField
              id="formular-titel"
              label={t('forms.formTitle')}
              hint={t('forms.formTitleHint')}
              value={form.title ?? ''}
              onCommit={(title) => edit((f) => ({ ...f, title: title.trim() || undefined }))}
            />
            <FieldList form={form} container="" edit={edit} />
            <AddFieldForm container="" edit={edit} />
          </section>
          <section aria-labelledby="vorschau-titel" className="vw-forms__preview">
            <h3 id="vorschau-titel" className="kern-heading kern-heading-small">
              {t('forms.preview')}
            </h3>
            <p className="kern-hint">{t('forms.previewHint')}</p>
            <FormView
              form={form}
              values={values}
              onChange={setValues}
              errors={[]}
              idPrefix="vorschau"
              scope={definition.constants}
            />
          </section>
        </div>
      )}
    </div>
  );
}

type Edit = (change: (form: Form) => Form) => void;

function FieldList({ form, container, edit }: { form: Form; container: string; edit: Edit }) {
  const { t } = useTranslation('modeler');
  let level: { properties?: Record<string, FormField> } = form;
  for (const part of container ? container.split('.') : []) level = level.properties?.[part] ?? {};
  const names = Object.keys(level.properties ?? {});
  if (names.length === 0) return <p className="kern-body">{t('forms.noFields')}</p>;
  return (
    <ol className="vw-forms__list">
      {names.map((name, index) => {
        const path = container ? `${container}.${name}` : name;
        return (
          <li key={path}>
            <FieldCard
              form={form}
              path={path}
              name={name}
              field={level.properties![name]!}
              first={index === 0}
              last={index === names.length - 1}
              edit={edit}
            />
          </li>
        );
      })}
    </ol>
  );
}

function FieldCard({
  form,
  path,
  name,
  field,
  first,
  last,
  edit,
}: {
  form: Form;
  path: string;
  name: string;
  field: FormField;
  first: boolean;
  last: boolean;
  edit: Edit;
}) {
  const { t } = useTranslation('modeler');
  const id = `feld-${path.replaceAll('.', '-')}`;
  const label = field.title ?? name;
  const set = (next: FormField) => edit((f) => updateField(f, path, next));
  const group = field.type === 'object';
  return (
    <details className="vw-field" open={group}>
      <summary>
        <span className="vw-field__title">{label}</span>{' '}
        <span className="kern-badge">{group ? t('forms.group') : t(`widget.${widgetOf(field)}`)}</span>
        {isRequired(form, path) && <span className="kern-badge">{t('forms.required')}</span>}
      </summary>
      <div className="vw-field__body">
        <CommitField
          id={`${id}-titel`}
          label={t('forms.label')}
          value={field.title ?? ''}
          onCommit={(title) => set({ ...field, title: title || undefined })}
        />
        <CommitField
          id={`${id}-name`}
          label={t('forms.name')}
          hint={t('forms.nameHint')}
          value={name}
          onCommit={(to) => edit((f) => renameField(f, path, to))}
        />
        {!group && (
          <SelectField
            id={`${id}-art`}
            label={t('forms.widget')}
            value={widgetOf(field)}
            options={WIDGETS.map((w) => ({ value: w, label: t(`widget.${w}`) }))}
            onChange={(w) => set(withWidget(field, w as Widget))}
          />
        )}
        <CheckField
          id={`${id}-pflicht`}
          label={t(group ? 'forms.requiredGroup' : 'forms.requiredField', { label })}
          checked={isRequired(form, path)}
          onChange={(required) => edit((f) => setRequired(f, path, required))}
        />
        {!group && <FieldRules id={id} field={field} widget={widgetOf(field)} onChange={set} />}
        <CommitField
          id={`${id}-hilfe`}
          label={t('forms.help')}
          multiline
          value={field.description ?? ''}
          onCommit={(description) => set({ ...field, description: description || undefined })}
        />
        {widgetOf(field) === 'choice' && !group && (
          <CommitField
            id={`${id}-auswahl`}
            label={t('forms.choices')}
            hint={t('forms.choicesHint')}
            multiline
            value={choicesToText(field)}
            onCommit={(text) => {
              const oneOf = textToChoices(text);
              if (oneOf.length) set({ ...field, enum: undefined, oneOf });
            }}
          />
        )}
        <FeelField
          id={`${id}-bedingung`}
          label={t('forms.visibleIf')}
          hint={t('forms.visibleIfHint')}
          value={field['x-visibleIf'] ?? ''}
          onCommit={(expr) => set({ ...field, 'x-visibleIf': expr.trim() || undefined })}
        />
        <div className="vw-inspector__actions">
          {!first && (
            <button
              type="button"
              className="kern-btn kern-btn--secondary vw-small"
              onClick={() => edit((f) => moveField(f, path, -1))}
            >
              <span className="kern-label">{t('forms.up', { label })}</span>
            </button>
          )}
          {!last && (
            <button
              type="button"
              className="kern-btn kern-btn--secondary vw-small"
              onClick={() => edit((f) => moveField(f, path, 1))}
            >
              <span className="kern-label">{t('forms.down', { label })}</span>
            </button>
          )}
          <button
            type="button"
            className="kern-btn kern-btn--tertiary vw-small"
            onClick={() => edit((f) => removeField(f, path))}
          >
            <span className="kern-label">{t('forms.remove', { label })}</span>
          </button>
        </div>
        {group && (
          <div className="vw-field__group">
            <FieldList form={form} container={path} edit={edit} />
            <AddFieldForm container={path} edit={edit} />
          </div>
        )}
      </div>
    </details>
  );
}

function AddFieldForm({ container, edit }: { container: string; edit: Edit }) {
  const { t } = useTranslation('modeler');
  const [label, setLabel] = useState('');
  const [widget, setWidget] = useState<Widget | 'group'>('text');
  const id = `neues-feld-${container.replaceAll('.', '-') || 'formular'}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!label.trim()) return;
    edit((f) => addField(f, container, label.trim(), widget).form);
    setLabel('');
  };
  return (
    <form className="vw-forms__add" onSubmit={submit} aria-label={container ? t('forms.addToGroup') : t('forms.add')}>
      <div className="kern-form-input">
        <label className="kern-label" htmlFor={`${id}-titel`}>
          {t('forms.newLabel')}
        </label>
        <input
          id={`${id}-titel`}
          className="kern-form-input__input"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
      </div>
      <div className="kern-form-input">
        <label className="kern-label" htmlFor={`${id}-art`}>
          {t('forms.widget')}
        </label>
        <div className="kern-form-input__select-wrapper">
          <select
            id={`${id}-art`}
            className="kern-form-input__select"
            value={widget}
            onChange={(e) => setWidget(e.target.value as Widget | 'group')}
          >
            {WIDGETS.map((w) => (
              <option key={w} value={w}>
                {t(`widget.${w}`)}
              </option>
            ))}
            {!container && <option value="group">{t('forms.group')}</option>}
          </select>
        </div>
      </div>
      <button type="submit" className="kern-btn kern-btn--primary">
        <span className="kern-label">{container ? t('forms.addToGroup') : t('forms.add')}</span>
      </button>
    </form>
  );
}
