import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Definition, State, Transition } from '../../../engine/definition/definition.schema.ts';
import { allowedEvents, type Problem } from '../../../engine/definition/validate.ts';
import { DecisionPlayground } from './decision-playground.tsx';
import { removeState, removeTransition, renameStateId, replaceState, updateTransition } from './definition-edits.ts';
import { useEditor, useEditorStore } from './editor-context.ts';
import { stateLabel } from './flow.ts';
import { CommitField, FeelField, SelectField } from './inspector-fields.tsx';
import type { ConnectorManifest } from './modeler-api.ts';
import { ProcedureInspector } from './procedure-inspector.tsx';
import { ServiceFields, TaskFields, TimingFields } from './state-fields.tsx';

const STATE_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export type InspectorProps = { connectors: ConnectorManifest[]; groups: string[]; problems: Problem[] };

/** The properties of the selection: a state, a transition, or (nothing selected) the procedure itself. */
export function Inspector(props: InspectorProps) {
  const { t } = useTranslation('modeler');
  const definition = useEditor((s) => s.definition);
  const selection = useEditor((s) => s.selection);
  if (!definition) return null;
  const state = selection && definition.states[selection.type === 'state' ? selection.id : selection.stateId];
  return (
    <section className="vw-inspector" aria-labelledby="inspektor-titel">
      <h2 id="inspektor-titel" className="kern-heading kern-heading-small" tabIndex={-1}>
        {t('inspector.title')}
      </h2>
      {selection?.type === 'state' && state ? (
        <StateInspector key={selection.id} id={selection.id} state={state} definition={definition} {...props} />
      ) : selection?.type === 'transition' && state?.transitions[selection.index] ? (
        <TransitionInspector
          key={`${selection.stateId}-${selection.index}`}
          stateId={selection.stateId}
          index={selection.index}
          state={state}
          definition={definition}
        />
      ) : (
        <ProcedureInspector definition={definition} />
      )}
    </section>
  );
}

function StateInspector({
  id,
  state,
  definition,
  ...props
}: InspectorProps & { id: string; state: State; definition: Definition }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const [idError, setIdError] = useState<string>();
  const patch = (next: Partial<State>) =>
    store.getState().apply((d) => replaceState(d, id, { ...d.states[id]!, ...next } as State));
  const problems = props.problems.filter((p) => p.stateId === id);

  const rename = (next: string) => {
    if (!STATE_ID.test(next)) return setIdError(t('inspector.idInvalid'));
    if (definition.states[next]) return setIdError(t('inspector.idTaken'));
    setIdError(undefined);
    store.getState().apply((d) => renameStateId(d, id, next), { type: 'state', id: next });
  };

  return (
    <div className="vw-inspector__body">
      <p className="kern-body">
        <span className="kern-badge">{t(`kind.${state.kind}`)}</span>
        {definition.initial === id && <span className="kern-badge">{t('canvas.start')}</span>}
      </p>
      {problems.length > 0 && (
        <ul className="vw-inspector__problems" aria-label={t('problems.ofState')}>
          {problems.map((p) => (
            <li key={p.path + p.code} className="kern-error">
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <CommitField
        id="eig-titel"
        label={t('inspector.stateTitle')}
        value={state.title ?? ''}
        onCommit={(title) => (title || state.kind !== 'task') && patch({ title: title || undefined })}
      />
      <CommitField
        id="eig-id"
        label={t('inspector.id')}
        hint={t('inspector.idHint')}
        value={id}
        error={idError}
        onCommit={rename}
      />
      {state.kind === 'final' ? (
        <>
          <CommitField
            id="eig-ergebnis"
            label={t('inspector.outcome')}
            value={state.outcome}
            onCommit={(outcome) => outcome && patch({ outcome })}
          />
          <CommitField
            id="eig-status"
            label={t('inspector.status')}
            hint={t('inspector.statusHint')}
            value={state.status}
            onCommit={(status) => status && patch({ status })}
          />
        </>
      ) : (
        <CommitField
          id="eig-status"
          label={t('inspector.status')}
          hint={t('inspector.statusHint')}
          value={state.status ?? ''}
          onCommit={(status) => patch({ status: status || undefined })}
        />
      )}
      <CommitField
        id="eig-beschreibung"
        label={t('inspector.description')}
        multiline
        value={state.description ?? ''}
        onCommit={(description) => patch({ description: description || undefined })}
      />
      {state.kind === 'task' && <TaskFields id={id} state={state} groups={props.groups} />}
      {state.kind === 'service' && <ServiceFields id={id} state={state} connectors={props.connectors} />}
      {(state.kind === 'timer' || state.kind === 'wait' || state.kind === 'task') && (
        <TimingFields id={id} state={state} />
      )}
      {state.kind === 'decision' && <DecisionPlayground id={id} state={state} />}
      {state.kind !== 'final' && <OutgoingList id={id} state={state} definition={definition} />}
      <div className="vw-inspector__actions">
        {definition.initial !== id && (
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => store.getState().apply((d) => ({ ...d, initial: id }))}
          >
            <span className="kern-label">{t('inspector.makeInitial')}</span>
          </button>
        )}
        <button
          type="button"
          className="kern-btn kern-btn--tertiary"
          onClick={() => store.getState().apply((d) => removeState(d, id), null)}
        >
          <span className="kern-label">{t('inspector.deleteState')}</span>
        </button>
      </div>
    </div>
  );
}

function OutgoingList({ id, state, definition }: { id: string; state: State; definition: Definition }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  return (
    <div className="vw-inspector__outgoing">
      <h3 className="kern-heading kern-heading-small">{t('inspector.outgoing')}</h3>
      {state.transitions.length === 0 ? (
        <p className="kern-body">{t('inspector.noOutgoing')}</p>
      ) : (
        <ol>
          {state.transitions.map((tr, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a transition has no id; its place in the list is its identity
            <li key={`${index}-${tr.target}`}>
              <button
                type="button"
                className="kern-link vw-linkbutton"
                onClick={() => store.getState().select({ type: 'transition', stateId: id, index })}
              >
                {t('inspector.transitionSummary', {
                  event: tr.on ?? t('inspector.noEvent'),
                  target: definition.states[tr.target]
                    ? stateLabel(tr.target, definition.states[tr.target]!)
                    : tr.target,
                })}
                {tr.guard ? ` [${tr.guard}]` : ''}
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function TransitionInspector({
  stateId,
  index,
  state,
  definition,
}: {
  stateId: string;
  index: number;
  state: State;
  definition: Definition;
}) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const transition = state.transitions[index]!;
  const update = (next: Partial<Transition>) =>
    store.getState().apply((d) => updateTransition(d, stateId, index, { ...transition, ...next }));
  const events = allowedEvents(state);
  const targets = Object.keys(definition.states);
  return (
    <div className="vw-inspector__body">
      <p className="kern-body">
        <span className="kern-badge">{t('inspector.transition')}</span>{' '}
        {t('inspector.from', { state: stateLabel(stateId, state) })}
      </p>
      {state.kind !== 'decision' &&
        (events ? (
          <SelectField
            id="eig-ereignis"
            label={t('inspector.event')}
            value={transition.on ?? ''}
            options={[...new Set([...(transition.on ? [transition.on] : []), ...events])].map((e) => ({
              value: e,
              label: e,
            }))}
            onChange={(on) => update({ on })}
          />
        ) : (
          <CommitField
            id="eig-ereignis"
            label={t('inspector.message')}
            hint={t('inspector.messageHint')}
            value={transition.on ?? ''}
            onCommit={(on) => on && update({ on })}
          />
        ))}
      <SelectField
        id="eig-ziel"
        label={t('inspector.target')}
        value={transition.target}
        options={[
          ...(definition.states[transition.target] ? [] : [{ value: transition.target, label: transition.target }]),
          ...targets.map((id) => ({ value: id, label: stateLabel(id, definition.states[id]!) })),
        ]}
        onChange={(target) => update({ target })}
      />
      <FeelField
        id="eig-bedingung"
        label={t('inspector.guard')}
        hint={t('inspector.guardHint')}
        value={transition.guard ?? ''}
        onCommit={(guard) => update({ guard })}
      />
      <CommitField
        id="eig-beschriftung"
        label={t('inspector.label')}
        value={transition.label ?? ''}
        onCommit={(label) => update({ label })}
      />
      <div className="vw-inspector__actions">
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          onClick={() => store.getState().select({ type: 'state', id: stateId })}
        >
          <span className="kern-label">{t('inspector.toSource')}</span>
        </button>
        <button
          type="button"
          className="kern-btn kern-btn--tertiary"
          onClick={() =>
            store.getState().apply((d) => removeTransition(d, stateId, index), { type: 'state', id: stateId })
          }
        >
          <span className="kern-label">{t('inspector.deleteTransition')}</span>
        </button>
      </div>
    </div>
  );
}
