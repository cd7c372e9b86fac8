import { useTranslation } from 'react-i18next';
import {
  type Delay,
  type RetryPolicy,
  retryPolicySchema,
  type ServiceState,
  type State,
  type TaskState,
} from '../../../engine/definition/definition.schema.ts';
import { replaceState } from './definition-edits.ts';
import { useEditorStore } from './editor-context.ts';
import { CommitField, FeelField, SelectField } from './inspector-fields.tsx';
import type { ConnectorManifest, InputSchema } from './modeler-api.ts';
import { NamedEntries } from './named-entries.tsx';

function usePatch(id: string) {
  const store = useEditorStore();
  return (next: Partial<State>) =>
    store.getState().apply((d) => replaceState(d, id, { ...d.states[id]!, ...next } as State));
}

/** Task: the group it is assigned to and the outcomes a caseworker chooses from. */
export function TaskFields({ id, state, groups }: { id: string; state: TaskState; groups: string[] }) {
  const { t } = useTranslation('modeler');
  const patch = usePatch(id);
  const outcomes = state.outcomes ?? [];
  const setOutcomes = (next: typeof outcomes) => patch({ outcomes: next.length ? next : undefined });
  const options = [...new Set([...(state.group ? [state.group] : ['']), ...groups])];
  return (
    <>
      <SelectField
        id="eig-gruppe"
        label={t('inspector.group')}
        value={state.group}
        options={options.map((g) => ({ value: g, label: g || t('inspector.noGroup') }))}
        onChange={(group) => patch({ group })}
      />
      <fieldset className="kern-fieldset vw-outcomes">
        <legend className="kern-label">{t('inspector.outcomes')}</legend>
        <p className="kern-hint">{t('inspector.outcomesHint')}</p>
        {outcomes.map((o, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: outcome ids are edited in place, so the row is its position
          <div key={`${i}-${o.id}`} className="vw-outcome">
            <CommitField
              id={`eig-ergebnis-${i}-id`}
              label={t('inspector.outcomeId', { n: i + 1 })}
              value={o.id}
              onCommit={(value) => value && setOutcomes(outcomes.map((x, k) => (k === i ? { ...x, id: value } : x)))}
            />
            <CommitField
              id={`eig-ergebnis-${i}-label`}
              label={t('inspector.outcomeLabel', { n: i + 1 })}
              value={o.label}
              onCommit={(value) => value && setOutcomes(outcomes.map((x, k) => (k === i ? { ...x, label: value } : x)))}
            />
            <button
              type="button"
              className="kern-btn kern-btn--tertiary"
              onClick={() => setOutcomes(outcomes.filter((_, k) => k !== i))}
            >
              <span className="kern-label">{t('inspector.removeOutcome', { n: i + 1 })}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          onClick={() =>
            setOutcomes([
              ...outcomes,
              { id: `ergebnis${outcomes.length + 1}`, label: t('inspector.newOutcome', { n: outcomes.length + 1 }) },
            ])
          }
        >
          <span className="kern-label">{t('inspector.addOutcome')}</span>
        </button>
      </fieldset>
    </>
  );
}

function describeField(schema: InputSchema, required: boolean, t: (key: string) => string) {
  return [schema.type, required ? t('inspector.required') : t('inspector.optional'), schema.description]
    .filter(Boolean)
    .join(' · ');
}

/**
 * Service step: connector operation, its input mapping (guided by the operation's input schema), the result
 * mapping into case variables and retries.
 */
export function ServiceFields({
  id,
  state,
  connectors,
}: {
  id: string;
  state: ServiceState;
  connectors: ConnectorManifest[];
}) {
  const { t } = useTranslation('modeler');
  const patch = usePatch(id);
  const connector = connectors.find((c) => c.id === state.connector);
  const operation = connector?.operations[state.operation];
  const schemaFields = Object.entries(operation?.input.properties ?? {});
  const required = new Set(operation?.input.required ?? []);
  const extra = Object.keys(state.input).filter((f) => !operation?.input.properties?.[f]);
  const setInput = (field: string, expr: string) => {
    const input = { ...state.input };
    if (expr.trim()) input[field] = expr;
    else delete input[field];
    patch({ input });
  };
  return (
    <>
      <SelectField
        id="eig-anbindung"
        label={t('inspector.connector')}
        value={state.connector}
        options={[
          { value: '', label: t('inspector.noConnector') },
          ...(connector || !state.connector ? [] : [{ value: state.connector, label: state.connector }]),
          ...connectors.map((c) => ({ value: c.id, label: c.title })),
        ]}
        onChange={(value) => {
          const first = Object.keys(connectors.find((c) => c.id === value)?.operations ?? {})[0] ?? '';
          patch({ connector: value, operation: first, input: {} });
        }}
      />
      {connector && (
        <SelectField
          id="eig-operation"
          label={t('inspector.operation')}
          value={state.operation}
          options={[
            ...(operation ? [] : [{ value: state.operation, label: state.operation || '–' }]),
            ...Object.entries(connector.operations).map(([name, op]) => ({ value: name, label: op.title ?? name })),
          ]}
          onChange={(value) => patch({ operation: value, input: {} })}
        />
      )}
      <fieldset className="kern-fieldset">
        <legend className="kern-label">{t('inspector.inputMapping')}</legend>
        <p className="kern-hint">{t('inspector.inputMappingHint')}</p>
        {schemaFields.map(([field, schema]) => (
          <FeelField
            key={field}
            id={`eig-eingabe-${field}`}
            label={field}
            hint={describeField(schema, required.has(field), t)}
            value={state.input[field] ?? ''}
            onCommit={(expr) => setInput(field, expr)}
          />
        ))}
        {extra.map((field) => (
          <FeelField
            key={field}
            id={`eig-eingabe-${field}`}
            label={field}
            hint={t('inspector.unknownInput')}
            value={state.input[field] ?? ''}
            onCommit={(expr) => setInput(field, expr)}
          />
        ))}
      </fieldset>
      <NamedEntries<string>
        id="eig-ergebnisvariable"
        legend={t('inspector.resultMapping')}
        hint={t('inspector.resultMappingHint')}
        entries={state.result}
        nameLabel={(n) => t('inspector.resultVariable', { n })}
        addLabel={t('inspector.addResultVariable')}
        newName="ergebnis"
        newValue="result"
        renderValue={(expr, n, setExpr) => (
          <FeelField
            id={`eig-ergebnisvariable-${n - 1}-ausdruck`}
            label={t('inspector.resultExpression', { n })}
            value={expr}
            onCommit={(next) => next.trim() && setExpr(next)}
          />
        )}
        onChange={(result) => patch({ result })}
      />
      <CommitField
        id="eig-versuche"
        type="number"
        label={t('inspector.maxAttempts')}
        hint={operation?.retry === 'never' ? t('inspector.retryNever') : t('inspector.retryHint')}
        value={state.retry ? String(state.retry.maxAttempts) : ''}
        onCommit={(value) => {
          const n = Number.parseInt(value, 10);
          patch({
            retry:
              Number.isFinite(n) && n >= 1
                ? { initialDelay: 'PT5S', maxDelay: 'PT1H', factor: 2, ...state.retry, maxAttempts: n }
                : undefined,
          });
        }}
      />
      {state.retry && <RetryFields retry={state.retry} onChange={(retry) => patch({ retry })} />}
    </>
  );
}

/** The backoff of a service step's retries: first and longest wait, and the factor between two waits. */
function RetryFields({ retry, onChange }: { retry: RetryPolicy; onChange(retry: RetryPolicy): void }) {
  const { t } = useTranslation('modeler');
  return (
    <>
      {(['initialDelay', 'maxDelay'] as const).map((key) => (
        <CommitField
          key={key}
          id={`eig-versuche-${key === 'initialDelay' ? 'erste' : 'laengste'}-pause`}
          label={t(`inspector.retry.${key}`)}
          hint={t('delay.durationHint')}
          value={retry[key]}
          onCommit={(value) =>
            retryPolicySchema.shape[key].safeParse(value.trim()).success && onChange({ ...retry, [key]: value.trim() })
          }
        />
      ))}
      <CommitField
        id="eig-versuche-faktor"
        type="number"
        label={t('inspector.retry.factor')}
        value={String(retry.factor)}
        onCommit={(value) => {
          const factor = Number(value);
          if (factor >= 1 && factor <= 10) onChange({ ...retry, factor });
        }}
      />
    </>
  );
}

type DelayKind = 'workingDays' | 'duration' | 'at';
const DEFAULT_DELAY: Record<DelayKind, Delay> = {
  workingDays: { workingDays: 5 },
  duration: { duration: 'P7D' },
  at: { at: 'now()' },
};

function kindOf(delay: Delay): DelayKind {
  return 'workingDays' in delay ? 'workingDays' : 'duration' in delay ? 'duration' : 'at';
}

function DelayField({
  id,
  label,
  value,
  optional,
  onChange,
}: {
  id: string;
  label: string;
  value: Delay | undefined;
  optional: boolean;
  onChange(delay: Delay | undefined): void;
}) {
  const { t } = useTranslation('modeler');
  const kind = value ? kindOf(value) : '';
  return (
    <fieldset className="kern-fieldset">
      <legend className="kern-label">{label}</legend>
      <SelectField
        id={`${id}-art`}
        label={t('delay.kind')}
        value={kind}
        options={[
          ...(optional ? [{ value: '', label: t('delay.none') }] : []),
          { value: 'workingDays', label: t('delay.workingDays') },
          { value: 'duration', label: t('delay.duration') },
          { value: 'at', label: t('delay.at') },
        ]}
        onChange={(next) => onChange(next ? DEFAULT_DELAY[next as DelayKind] : undefined)}
      />
      {value && 'workingDays' in value && (
        <CommitField
          id={`${id}-wert`}
          type="number"
          label={t('delay.workingDaysValue')}
          value={String(value.workingDays)}
          onCommit={(v) => Number.parseInt(v, 10) >= 1 && onChange({ workingDays: Number.parseInt(v, 10) })}
        />
      )}
      {value && 'duration' in value && (
        <CommitField
          id={`${id}-wert`}
          label={t('delay.durationValue')}
          hint={t('delay.durationHint')}
          value={value.duration}
          onCommit={(duration) => duration && onChange({ duration })}
        />
      )}
      {value && 'at' in value && (
        <FeelField
          id={`${id}-wert`}
          label={t('delay.atValue')}
          value={value.at}
          onCommit={(at) => at && onChange({ at })}
        />
      )}
    </fieldset>
  );
}

/** Deadlines and timers: a timer's delay, a task's due date and timeout, a wait state's timeout. */
export function TimingFields({ id, state }: { id: string; state: State }) {
  const { t } = useTranslation('modeler');
  const patch = usePatch(id);
  if (state.kind === 'timer') {
    return (
      <DelayField
        id="eig-verzoegerung"
        label={t('delay.timer')}
        value={state.delay}
        optional={false}
        onChange={(delay) => delay && patch({ delay })}
      />
    );
  }
  if (state.kind !== 'task' && state.kind !== 'wait') return null;
  return (
    <>
      {state.kind === 'task' && (
        <DelayField
          id="eig-frist"
          label={t('delay.due')}
          value={state.due}
          optional
          onChange={(due) => patch({ due })}
        />
      )}
      <DelayField
        id="eig-zeitlimit"
        label={t('delay.timeout')}
        value={state.timeout}
        optional
        onChange={(timeout) => patch({ timeout })}
      />
    </>
  );
}
