import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { State } from '../../../engine/definition/definition.schema.ts';
import { evaluateFeel } from '../../../engine/expressions/feel.ts';
import { updateTransition } from './definition-edits.ts';
import { useEditorStore } from './editor-context.ts';
import { FeelField } from './inspector-fields.tsx';

type Outcome = { value: unknown } | { error: string };

/** Evaluates a guard against sample data; errors are shown, never thrown. */
export function tryGuard(guard: string, sample: Record<string, unknown>): Outcome {
  try {
    return { value: evaluateFeel(guard, sample) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The way a decision takes for sample data: the first exit whose guard is true, else none. */
export function chosenExit(guards: (string | undefined)[], sample: Record<string, unknown>): number | undefined {
  const index = guards.findIndex((g) => {
    if (!g) return true;
    const outcome = tryGuard(g, sample);
    return 'value' in outcome && outcome.value === true;
  });
  return index < 0 ? undefined : index;
}

/** A decision's guards in order, editable, with a playground: sample JSON in, each guard's result out. */
export function DecisionPlayground({ id, state }: { id: string; state: State }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const [sampleText, setSampleText] = useState('{}');
  let sample: Record<string, unknown> | undefined;
  let sampleError: string | undefined;
  try {
    const parsed: unknown = JSON.parse(sampleText);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) sample = parsed as Record<string, unknown>;
    else sampleError = t('playground.notObject');
  } catch (error) {
    sampleError = t('playground.invalidJson', { message: error instanceof Error ? error.message : '' });
  }
  const taken = sample
    ? chosenExit(
        state.transitions.map((tr) => tr.guard),
        sample,
      )
    : undefined;
  return (
    <fieldset className="kern-fieldset vw-playground">
      <legend className="kern-label">{t('playground.title')}</legend>
      <div className={`kern-form-input${sampleError ? ' kern-form-input--error' : ''}`}>
        <label className="kern-label" htmlFor="spiel-daten">
          {t('playground.sample')}
        </label>
        <div className="kern-hint" id="spiel-daten-hinweis">
          {t('playground.sampleHint')}
        </div>
        {sampleError && (
          <p className="kern-error" id="spiel-daten-fehler">
            <span className="kern-body">{sampleError}</span>
          </p>
        )}
        <textarea
          id="spiel-daten"
          className="kern-form-input__input vw-feel"
          rows={4}
          spellCheck={false}
          value={sampleText}
          aria-invalid={sampleError ? true : undefined}
          aria-describedby={sampleError ? 'spiel-daten-hinweis spiel-daten-fehler' : 'spiel-daten-hinweis'}
          onChange={(e) => setSampleText(e.target.value)}
        />
      </div>
      <ol className="vw-playground__exits">
        {state.transitions.map((tr, index) => {
          const outcome = sample && tr.guard ? tryGuard(tr.guard, sample) : undefined;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a transition has no id; its place in the list is its identity
            <li key={`${index}-${tr.target}`} className={taken === index ? 'is-taken' : undefined}>
              <FeelField
                id={`spiel-bedingung-${index}`}
                label={t('playground.guardTo', { n: index + 1, target: tr.target })}
                value={tr.guard ?? ''}
                onCommit={(guard) => store.getState().apply((d) => updateTransition(d, id, index, { ...tr, guard }))}
              />
              <p className="kern-body" role="status">
                {!tr.guard
                  ? t('playground.default')
                  : !outcome
                    ? '–'
                    : 'error' in outcome
                      ? t('playground.error', { message: outcome.error })
                      : t('playground.result', { value: JSON.stringify(outcome.value) })}
                {taken === index && <strong> {t('playground.taken')}</strong>}
              </p>
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
