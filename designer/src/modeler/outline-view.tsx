import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StateKind } from '../../../engine/definition/definition.schema.ts';
import { addState, connect, removeState, removeTransition } from './definition-edits.ts';
import { useEditor, useEditorStore } from './editor-context.ts';
import { stateLabel } from './flow.ts';
import { focusInspectorTitle } from './palette.tsx';

const KINDS: StateKind[] = ['task', 'service', 'wait', 'decision', 'timer', 'final'];

/**
 * The keyboard and screen-reader alternative to the canvas: every state with its transitions in a table,
 * and forms to add states and transitions. Editing a row's details happens in the inspector.
 */
export function OutlineView({ groups }: { groups: string[] }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const definition = useEditor((s) => s.definition);
  const selection = useEditor((s) => s.selection);
  const [kind, setKind] = useState<StateKind>('task');
  const [title, setTitle] = useState('');
  const ids = Object.keys(definition?.states ?? {});
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  if (!definition) return null;
  const source = ids.includes(from) ? from : (ids[0] ?? '');
  const target = ids.includes(to) ? to : (ids[1] ?? ids[0] ?? '');

  const onAddState = (event: FormEvent) => {
    event.preventDefault();
    const current = store.getState().definition!;
    const { definition: next, id } = addState(current, {
      kind,
      title: title.trim() || t(`palette.newTitle.${kind}`),
      group: groups[0],
    });
    store.getState().apply(() => next, { type: 'state', id });
    setTitle('');
    focusInspectorTitle();
  };
  const onAddTransition = (event: FormEvent) => {
    event.preventDefault();
    const index = store.getState().definition!.states[source]?.transitions.length ?? 0;
    store.getState().apply((d) => connect(d, source, target), { type: 'transition', stateId: source, index });
  };
  const name = (id: string) => (definition.states[id] ? stateLabel(id, definition.states[id]!) : id);

  return (
    <section className="vw-outline" aria-labelledby="gliederung-titel">
      <h2 id="gliederung-titel" className="kern-heading kern-heading-small">
        {t('outline.title')}
      </h2>
      <table className="kern-table vw-outline__table">
        <caption className="visually-hidden">{t('outline.caption')}</caption>
        <thead className="kern-table__head">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header">
              {t('outline.state')}
            </th>
            <th scope="col" className="kern-table__header">
              {t('outline.kind')}
            </th>
            <th scope="col" className="kern-table__header">
              {t('outline.transitions')}
            </th>
            <th scope="col" className="kern-table__header">
              {t('outline.actions')}
            </th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {ids.map((id) => {
            const state = definition.states[id]!;
            const selected = selection?.type === 'state' && selection.id === id;
            return (
              <tr key={id} className={`kern-table__row${selected ? ' is-selected' : ''}`}>
                <th scope="row" className="kern-table__cell">
                  {stateLabel(id, state)} <code>{id}</code>
                  {definition.initial === id && <span className="kern-badge">{t('canvas.start')}</span>}
                </th>
                <td className="kern-table__cell">{t(`kind.${state.kind}`)}</td>
                <td className="kern-table__cell">
                  {state.transitions.length > 0 && (
                    <ul className="vw-outline__transitions">
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
                              target: name(tr.target),
                            })}
                            {tr.guard ? ` [${tr.guard}]` : ''}
                          </button>{' '}
                          <button
                            type="button"
                            className="kern-btn kern-btn--tertiary vw-small"
                            onClick={() => store.getState().apply((d) => removeTransition(d, id, index))}
                          >
                            <span className="kern-label">
                              {t('outline.deleteTransition', { from: stateLabel(id, state), to: name(tr.target) })}
                            </span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="kern-table__cell vw-outline__actions">
                  <button
                    type="button"
                    className="kern-btn kern-btn--secondary vw-small"
                    onClick={() => {
                      store.getState().select({ type: 'state', id });
                      focusInspectorTitle();
                    }}
                  >
                    <span className="kern-label">{t('outline.edit', { name: stateLabel(id, state) })}</span>
                  </button>
                  <button
                    type="button"
                    className="kern-btn kern-btn--tertiary vw-small"
                    onClick={() => store.getState().apply((d) => removeState(d, id), null)}
                  >
                    <span className="kern-label">{t('outline.delete', { name: stateLabel(id, state) })}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <div className="vw-outline__forms">
        <form onSubmit={onAddState} className="vw-outline__form" aria-labelledby="neuer-zustand-titel">
          <h3 id="neuer-zustand-titel" className="kern-heading kern-heading-small">
            {t('outline.addState')}
          </h3>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor="neu-art">
              {t('outline.kind')}
            </label>
            <div className="kern-form-input__select-wrapper">
              <select
                id="neu-art"
                className="kern-form-input__select"
                value={kind}
                onChange={(e) => setKind(e.target.value as StateKind)}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor="neu-zustand-titel">
              {t('outline.stateTitle')}
            </label>
            <input
              id="neu-zustand-titel"
              className="kern-form-input__input"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
            />
          </div>
          <button type="submit" className="kern-btn kern-btn--primary">
            <span className="kern-label">{t('outline.addStateSubmit')}</span>
          </button>
        </form>

        {ids.length > 0 && (
          <form onSubmit={onAddTransition} className="vw-outline__form" aria-labelledby="neuer-uebergang-titel">
            <h3 id="neuer-uebergang-titel" className="kern-heading kern-heading-small">
              {t('outline.addTransition')}
            </h3>
            {(
              [
                ['neu-von', t('outline.from'), source, setFrom],
                ['neu-nach', t('outline.to'), target, setTo],
              ] as const
            ).map(([id, label, value, set]) => (
              <div key={id} className="kern-form-input">
                <label className="kern-label" htmlFor={id}>
                  {label}
                </label>
                <div className="kern-form-input__select-wrapper">
                  <select
                    id={id}
                    className="kern-form-input__select"
                    value={value}
                    onChange={(e) => set(e.target.value)}
                  >
                    {ids.map((sid) => (
                      <option key={sid} value={sid}>
                        {name(sid)}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            ))}
            <button type="submit" className="kern-btn kern-btn--primary">
              <span className="kern-label">{t('outline.addTransitionSubmit')}</span>
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
