import { useTranslation } from 'react-i18next';
import type { StateKind } from '../../../engine/definition/definition.schema.ts';
import { addState, type NewState } from './definition-edits.ts';
import { useEditorStore } from './editor-context.ts';
import type { ConnectorManifest } from './modeler-api.ts';

const PLAIN_KINDS: Exclude<StateKind, 'service'>[] = ['task', 'wait', 'decision', 'timer', 'final'];

/** Moves focus to the inspector's title field once the new state's inspector is rendered. */
export function focusInspectorTitle() {
  requestAnimationFrame(() => document.getElementById('eig-titel')?.focus());
}

/** Adds states: one button per kind, and one per connector operation for service steps. */
export function Palette({ connectors, groups }: { connectors: ConnectorManifest[]; groups: string[] }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const add = (spec: NewState) => {
    const current = store.getState().definition;
    if (!current) return;
    const { definition, id } = addState(current, spec);
    store.getState().apply(() => definition, { type: 'state', id });
    focusInspectorTitle();
  };

  return (
    <nav className="vw-palette" aria-labelledby="palette-titel">
      <h2 id="palette-titel" className="kern-heading kern-heading-small">
        {t('palette.title')}
      </h2>
      <ul className="vw-palette__list">
        {PLAIN_KINDS.map((kind) => (
          <li key={kind}>
            <button
              type="button"
              className={`kern-btn kern-btn--secondary vw-palette__item vw-kind--${kind}`}
              onClick={() => add({ kind, title: t(`palette.newTitle.${kind}`), group: groups[0] })}
            >
              <span className="kern-label">{t('palette.add', { kind: t(`kind.${kind}`) })}</span>
            </button>
          </li>
        ))}
      </ul>
      <h3 className="kern-heading kern-heading-small">{t('palette.services')}</h3>
      {connectors.map((c) => (
        <details key={c.id} className="vw-palette__group">
          <summary>{c.title}</summary>
          <ul className="vw-palette__list">
            {Object.entries(c.operations).map(([name, op]) => (
              <li key={name}>
                <button
                  type="button"
                  className="kern-btn kern-btn--tertiary vw-palette__item vw-kind--service"
                  onClick={() =>
                    add({ kind: 'service', title: op.title ?? `${c.title}: ${name}`, connector: c.id, operation: name })
                  }
                >
                  <span className="kern-label">{op.title ?? name}</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </nav>
  );
}
