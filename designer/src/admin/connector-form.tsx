import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, type SummaryItem } from '../common/error-summary.tsx';
import { type Connector, calls, keys, useAdminMutation, useConnectorConfig } from './admin-api.ts';
import { ApiProblem, fieldError } from './api-problem.tsx';
import { QueryState } from './query-state.tsx';
import { SchemaFields } from './schema-fields.tsx';
import { fromFormValues, missingRequired, type SchemaValues, toFormValues } from './schema-values.ts';

/**
 * A connector's configuration for the tenant, generated from its config schema, and its secrets. Secrets are
 * write-only: the form shows only whether each is set, and an empty secret field keeps the stored value. The secret
 * inputs are uncontrolled and cleared after saving, so a secret never lands in the page's markup or state.
 */
export function ConnectorForm({ connector, onSaved }: { connector: Connector; onSaved: () => void }) {
  const stored = useConnectorConfig(connector.id);
  return (
    <QueryState query={stored}>
      {(config) => (
        <LoadedForm
          key={JSON.stringify(config)}
          connector={connector}
          initial={toFormValues(connector.configSchema, config.config)}
          secretNames={config.secretNames}
          onSaved={onSaved}
        />
      )}
    </QueryState>
  );
}

function LoadedForm({
  connector,
  initial,
  secretNames,
  onSaved,
}: {
  connector: Connector;
  initial: SchemaValues;
  secretNames: string[];
  onSaved: () => void;
}) {
  const { t } = useTranslation('admin');
  const prefix = `anbindung-${connector.id.replace(/[^a-z0-9]/g, '-')}`;
  const [values, setValues] = useState(initial);
  const [missing, setMissing] = useState<SummaryItem[]>([]);
  const secretInputs = useRef(new Map<string, HTMLInputElement>());
  const save = useAdminMutation(calls.saveConnector, [keys.connectors, keys.connectorConfig(connector.id)]);
  const [savedAt, setSavedAt] = useState<number>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = missingRequired(connector.configSchema, values);
    setMissing(absent.map((name) => ({ fieldId: `${prefix}-${name}`, message: t('form.missing', { field: name }) })));
    if (absent.length) return;
    const secrets: Record<string, string> = {};
    for (const [name, input] of secretInputs.current) if (input.value !== '') secrets[name] = input.value;
    save.mutate(
      { id: connector.id, config: fromFormValues(connector.configSchema, values), secrets },
      {
        onSuccess: () => {
          for (const input of secretInputs.current.values()) input.value = '';
          setSavedAt(Date.now());
          onSaved();
        },
      },
    );
  };

  const errors = Object.fromEntries(
    Object.keys(values).map((name) => [name, fieldError(save.error, `config.${name}`)]),
  );
  return (
    <form
      className="kern-stack"
      noValidate
      onSubmit={submit}
      aria-label={t('connectors.formLabel', { name: connector.title })}
    >
      <ErrorSummary items={missing} />
      <ApiProblem error={save.error} fieldId={(path) => `${prefix}-${path.split('.').slice(1).join('-')}`} />
      <SchemaFields
        idPrefix={prefix}
        schema={connector.configSchema}
        values={values}
        errors={errors}
        onChange={(name, value) => setValues((old) => ({ ...old, [name]: value }))}
      />
      {connector.secrets.length > 0 && (
        <fieldset className="kern-fieldset">
          <legend className="kern-label">{t('connectors.secrets')}</legend>
          <div className="kern-fieldset__body kern-stack">
            {connector.secrets.map((name) => {
              const set = secretNames.includes(name);
              const id = `${prefix}-secrets-${name}`;
              return (
                <div className="kern-form-input" key={name}>
                  <label className="kern-label" htmlFor={id}>
                    {name}{' '}
                    <span className={`kern-badge kern-badge--${set ? 'success' : 'warning'}`}>
                      <span className="kern-label">
                        {set ? t('connectors.secretSet') : t('connectors.secretUnset')}
                      </span>
                    </span>
                  </label>
                  <div className="kern-hint" id={`${id}-hinweis`}>
                    {set ? t('connectors.secretKeep') : t('connectors.secretEnter')}
                  </div>
                  <input
                    className="kern-form-input__input"
                    id={id}
                    type="password"
                    autoComplete="new-password"
                    spellCheck={false}
                    aria-describedby={`${id}-hinweis`}
                    ref={(input) => {
                      if (input) secretInputs.current.set(name, input);
                      else secretInputs.current.delete(name);
                    }}
                  />
                </div>
              );
            })}
          </div>
        </fieldset>
      )}
      <div className="admin-actions">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('connectors.save')}</span>
        </button>
      </div>
      <p className="kern-body" role="status">
        {savedAt !== undefined && !save.isPending && !save.isError ? t('connectors.saved') : ''}
      </p>
    </form>
  );
}
