import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../engine/definition/validate.ts';
import { useEditorStore } from './editor-context.ts';
import type { Selection } from './editor-store.ts';

/** The element a problem belongs to: a transition when its path names one, else its state. */
export function selectionOf(problem: Problem): Selection {
  const transition = /^states\.([^.]+)\.transitions\.(\d+)/.exec(problem.path);
  if (transition) return { type: 'transition', stateId: transition[1]!, index: Number(transition[2]) };
  return problem.stateId ? { type: 'state', id: problem.stateId } : null;
}

/** Every problem of the definition as it is edited; choosing one selects its element and focuses the inspector. */
export function ProblemsPanel({ problems }: { problems: Problem[] }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const choose = (problem: Problem) => {
    store.getState().select(selectionOf(problem));
    requestAnimationFrame(() => document.getElementById('inspektor-titel')?.focus());
  };
  return (
    <section className="vw-problems" aria-labelledby="probleme-titel">
      <h2 id="probleme-titel" className="kern-heading kern-heading-small">
        {t('problems.title', { count: problems.length })}
      </h2>
      {problems.length === 0 ? (
        <p className="kern-body">{t('problems.none')}</p>
      ) : (
        <ul className="vw-problems__list">
          {problems.map((p) => (
            <li key={`${p.path}-${p.code}-${p.message}`}>
              <button type="button" className="kern-link vw-linkbutton" onClick={() => choose(p)}>
                {p.stateId ? `${p.stateId}: ` : ''}
                {p.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
