import { ReactFlowProvider } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { definitionSchema } from '../../../engine/definition/definition.schema.ts';
import {
  type Effect,
  ProcedureRuntime,
  type StepEnvironment,
  type StepResult,
} from '../../../engine/runtime/runtime.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { Canvas } from './canvas.tsx';
import { useEditorOutlet } from './editor-page.tsx';
import { stateLabel } from './flow.ts';
import { availableEvents, sampleData, simulationVariables } from './simulation.ts';
import { TaskForm } from './task-form.tsx';

type Step = { label: string; result: StepResult };

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `/designer/:key/simulation`: runs the edited definition in the browser with the engine's own runtime
 * (the same compiled machine the server uses). Connector calls, tasks and timers are not carried out;
 * the process owner answers them with the event buttons.
 */
export function SimulatorView() {
  const { t } = useTranslation('modeler');
  const { definition, problems } = useEditorOutlet();
  usePageTitle(t('simulator.pageTitle', { title: definition.title }));
  const parsed = useMemo(() => definitionSchema.safeParse(definition), [definition]);
  const runtime = useMemo(() => (parsed.success ? new ProcedureRuntime(parsed.data) : undefined), [parsed]);
  const today = new Date().toISOString().slice(0, 10);
  const [dataText, setDataText] = useState(() => JSON.stringify(sampleData(definition.form, today), null, 2));
  const [resultText, setResultText] = useState('{}');
  const [steps, setSteps] = useState<Step[]>([]);
  const [error, setError] = useState<string>();
  const current = steps.at(-1)?.result;

  if (!runtime) {
    return (
      <div className="kern-alert kern-alert--info" role="status">
        <div className="kern-alert__body">
          <p className="kern-body">{t('simulator.invalid', { count: problems.length })}</p>
        </div>
      </div>
    );
  }

  const env = (): StepEnvironment => ({ now: new Date(), calendar: { land: 'NW' }, caseId: 'simulation' });
  const run = (label: string, step: () => StepResult) => {
    try {
      const result = step();
      setSteps((s) => [...s, { label, result }]);
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const start = () => {
    const data = parseJson(dataText);
    if ('error' in data) return setError(t('simulator.badJson', { message: data.error }));
    if (!data.value || typeof data.value !== 'object' || Array.isArray(data.value))
      return setError(t('simulator.notObject'));
    setSteps([]);
    const now = new Date();
    run(t('simulator.started'), () =>
      runtime.start(data.value as Record<string, unknown>, env(), simulationVariables(definition, now)),
    );
  };
  const result = parseJson(resultText);
  const state = current ? definition.states[current.to] : undefined;
  const allEvents = current ? availableEvents(runtime, current.snapshot, 'value' in result ? result.value : {}) : [];
  // A task with a form is completed through its form (with the data a real completion sends), not a bare button.
  const taskForm = state?.kind === 'task' ? state.form : undefined;
  const outcomes =
    state?.kind === 'task' && taskForm
      ? (state.outcomes ?? [{ id: 'done', label: t('taskForm.done') }]).filter((o) =>
          allEvents.some((e) => e.event.type === `task:${o.id}`),
        )
      : [];
  const events = taskForm ? allEvents.filter((e) => !e.event.type.startsWith('task:')) : allEvents;

  return (
    <div className="vw-simulator">
      <h2 className="kern-heading kern-heading-medium">{t('simulator.title')}</h2>
      <p className="kern-body">{t('simulator.intro')}</p>
      <div className="vw-simulator__columns">
        <div className="vw-simulator__controls">
          <div className="kern-form-input">
            <label className="kern-label" htmlFor="sim-daten">
              {t('simulator.data')}
            </label>
            <div className="kern-hint" id="sim-daten-hinweis">
              {t('simulator.dataHint')}
            </div>
            <textarea
              id="sim-daten"
              className="kern-form-input__input vw-feel"
              rows={8}
              spellCheck={false}
              aria-describedby="sim-daten-hinweis"
              value={dataText}
              onChange={(e) => setDataText(e.target.value)}
            />
          </div>
          <button type="button" className="kern-btn kern-btn--primary" onClick={start}>
            <span className="kern-label">{current ? t('simulator.restart') : t('simulator.start')}</span>
          </button>
          <div aria-live="polite">
            {error && (
              <div className="kern-alert kern-alert--danger">
                <div className="kern-alert__body">
                  <p className="kern-body">{error}</p>
                </div>
              </div>
            )}
          </div>
          {current && (
            <section aria-labelledby="sim-stand" className="vw-simulator__state">
              <h3 id="sim-stand" className="kern-heading kern-heading-small">
                {t('simulator.now')}
              </h3>
              <p className="kern-body" role="status">
                {state ? stateLabel(current.to, state) : current.to} ({state ? t(`kind.${state.kind}`) : ''})
                {current.snapshot.status === 'done' && ` – ${t('simulator.finished', { outcome: current.outcome })}`}
              </p>
              {state?.kind === 'service' && (
                <div className="kern-form-input">
                  <label className="kern-label" htmlFor="sim-ergebnis">
                    {t('simulator.result')}
                  </label>
                  <div className="kern-hint" id="sim-ergebnis-hinweis">
                    {t('simulator.resultHint')}
                  </div>
                  <textarea
                    id="sim-ergebnis"
                    className="kern-form-input__input vw-feel"
                    rows={3}
                    spellCheck={false}
                    aria-describedby="sim-ergebnis-hinweis"
                    value={resultText}
                    onChange={(e) => setResultText(e.target.value)}
                  />
                </div>
              )}
              {current && taskForm && outcomes.length > 0 && (
                <TaskForm
                  key={steps.length}
                  form={taskForm}
                  outcomes={outcomes}
                  scope={current.snapshot.context.vars}
                  idPrefix="sim-aufgabe"
                  onComplete={(outcome, data) =>
                    run(outcome, () => runtime.send(current.snapshot, { type: `task:${outcome}`, data }, env()))
                  }
                />
              )}
              {events.length > 0 && (
                <fieldset className="kern-fieldset vw-simulator__events">
                  <legend className="kern-label">{t('simulator.events')}</legend>
                  {events.map(({ on, event }) => (
                    <button
                      key={on}
                      type="button"
                      className="kern-btn kern-btn--secondary"
                      onClick={() => run(on, () => runtime.send(current.snapshot, event, env()))}
                    >
                      <span className="kern-label">{t('simulator.send', { event: on })}</span>
                    </button>
                  ))}
                </fieldset>
              )}
              <h3 className="kern-heading kern-heading-small">{t('simulator.variables')}</h3>
              <pre className="vw-simulator__vars">{JSON.stringify(current.snapshot.context.vars, null, 2)}</pre>
            </section>
          )}
        </div>
        <ReactFlowProvider>
          <Canvas definition={definition} marks={current ? { current: current.to } : {}} />
        </ReactFlowProvider>
      </div>
      {steps.length > 0 && (
        <section aria-labelledby="sim-verlauf">
          <h3 id="sim-verlauf" className="kern-heading kern-heading-small">
            {t('simulator.history')}
          </h3>
          <ol className="vw-simulator__history">
            {steps.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows; a step is its position
              <li key={`${i}-${s.result.to}`}>
                <strong>{s.label}</strong>: {s.result.from ?? '–'} → {s.result.to}
                {s.result.effects.length > 0 && (
                  <ul>
                    {s.result.effects.map((effect, k) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a step's effects never change order
                      <li key={`${k}-${effect.type}`}>{describeEffect(effect, t)}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function describeEffect(effect: Effect, t: (key: string, options?: Record<string, unknown>) => string): string {
  switch (effect.type) {
    case 'task.create':
      return t('simulator.effect.task', { title: effect.title, group: effect.group });
    case 'task.cancel':
      return t('simulator.effect.taskCancel', { state: effect.state });
    case 'job.enqueue':
      return t('simulator.effect.job', {
        connector: effect.connector,
        operation: effect.operation,
        input: JSON.stringify(effect.input),
      });
    case 'timer.schedule':
      return t('simulator.effect.timer', { due: effect.dueAt.toISOString() });
    case 'timer.cancel':
      return t('simulator.effect.timerCancel', { state: effect.state });
    case 'status':
      return t('simulator.effect.status', { label: effect.label });
  }
}
