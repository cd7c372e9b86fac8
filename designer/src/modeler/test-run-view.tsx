import { ReactFlowProvider } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import { ApiError } from '../app/api.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { type FormError, isRecord } from '../forms/validate-form.ts';
import { Canvas } from './canvas.tsx';
import { useEditorOutlet } from './editor-page.tsx';
import { stateLabel } from './flow.ts';
import { sampleData } from './simulation.ts';
import { TaskForm } from './task-form.tsx';
import { type TestRun, type TestRunAction, useStartTestRun, useTestRun, useTestRunAction } from './test-run-api.ts';
import { TestRunData } from './test-run-data.tsx';

/** A 422 answer's field errors under `prefix` (`data.`), without it; other errors give none. */
function fieldErrors(error: unknown, prefix: string): FormError[] {
  if (!(error instanceof ApiError)) return [];
  return error.errors
    .filter((e) => e.path.startsWith(prefix))
    .map((e) => ({ path: e.path.slice(prefix.length), message: e.message }));
}

/**
 * `/designer/:key/testlauf`: starts a real case of the edited draft in the tenant's sandbox (a tenant of its own
 * with copies of the groups and connector configurations; nothing reaches the inbox or the citizens) and follows it:
 * state on the canvas, history, open tasks with their forms, deadlines, messages, calls and incidents.
 */
export function TestRunView() {
  const { t } = useTranslation('modeler');
  const { definition, problems } = useEditorOutlet();
  usePageTitle(t('testRun.pageTitle', { title: definition.title }));
  const [runId, setRunId] = useState<string>();
  const [sample] = useState(() => sampleData(definition.form, new Date().toISOString().slice(0, 10)));
  const start = useStartTestRun();
  const run = useTestRun(runId);
  const dataErrors = useMemo(() => fieldErrors(start.error, 'data.'), [start.error]);

  const begin = (data: Record<string, unknown>) =>
    start.mutate({ definition, data }, { onSuccess: (started) => setRunId(started.id) });

  return (
    <div className="vw-simulator vw-test-run">
      <h2 className="kern-heading kern-heading-medium">{t('testRun.title')}</h2>
      <p className="kern-body">{t('testRun.intro')}</p>
      {problems.length > 0 ? (
        <div className="kern-alert kern-alert--info" role="status">
          <div className="kern-alert__body">
            <p className="kern-body">{t('testRun.invalid', { count: problems.length })}</p>
          </div>
        </div>
      ) : (
        <TestRunData
          form={definition.form}
          scope={definition.constants}
          initial={sample}
          serverErrors={dataErrors}
          pending={start.isPending}
          restart={runId !== undefined}
          onStart={begin}
        />
      )}
      <div aria-live="polite">
        {start.error && dataErrors.length === 0 && (
          <div className="kern-alert kern-alert--danger">
            <div className="kern-alert__body">
              <p className="kern-body">{start.error.message}</p>
            </div>
          </div>
        )}
      </div>
      {run.data && <TestRunCase key={run.data.id} run={run.data} definition={definition} />}
    </div>
  );
}

function TestRunCase({ run, definition }: { run: TestRun; definition: Definition }) {
  const { t, i18n } = useTranslation('modeler');
  const action = useTestRunAction(run.id);
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const state = definition.states[run.state];
  const label = (id: string | null) => {
    const s = id === null ? undefined : definition.states[id];
    return id === null ? '–' : s ? stateLabel(id, s) : id;
  };
  const act = (next: TestRunAction) => action.mutate(next);
  const completing = action.variables?.kind === 'complete' ? action.variables.taskId : undefined;
  const formErrors = useMemo(() => fieldErrors(action.error, 'data.'), [action.error]);
  const [messageText, setMessageText] = useState('{}');
  const [messageError, setMessageError] = useState<string>();
  const sendMessage = (name: string) => {
    let data: unknown;
    try {
      data = JSON.parse(messageText);
    } catch {
      data = undefined;
    }
    if (!isRecord(data)) return setMessageError(t('testRun.messageDataInvalid'));
    setMessageError(undefined);
    act({ kind: 'message', name, data });
  };

  return (
    <section aria-labelledby="testlauf-vorgang" className="vw-test-run__case">
      <h3 id="testlauf-vorgang" className="kern-heading kern-heading-small">
        {t('testRun.case', { caseNumber: run.caseNumber })}
      </h3>
      <p className="kern-body" role="status">
        {t('testRun.now', { state: label(run.state), status: t(`testRun.status.${run.status}`) })}
        {run.outcome && ` – ${t('simulator.finished', { outcome: run.outcome })}`}
      </p>
      <dl className="vw-test-run__facts">
        <dt>{t('testRun.sandbox')}</dt>
        <dd>
          <code>{run.tenant}</code>
        </dd>
        <dt>{t('testRun.publicStatus')}</dt>
        <dd>{run.publicStatus ?? '–'}</dd>
        <dt>{t('testRun.version')}</dt>
        <dd>{run.version}</dd>
      </dl>
      <div aria-live="polite">
        {action.error && (
          <div className="kern-alert kern-alert--danger">
            <div className="kern-alert__body">
              <p className="kern-body">{action.error.message}</p>
            </div>
          </div>
        )}
      </div>
      <div className="vw-simulator__columns">
        <div className="vw-simulator__controls">
          {run.tasks.map((task) => (
            <section key={task.id} aria-labelledby={`testlauf-aufgabe-${task.id}`} className="vw-simulator__state">
              <h4 id={`testlauf-aufgabe-${task.id}`} className="kern-heading kern-heading-small">
                {t('testRun.task', { title: task.title, group: task.group })}
              </h4>
              <TaskForm
                form={task.form}
                outcomes={task.outcomes}
                scope={run.variables}
                idPrefix={`testlauf-${task.id}`}
                serverErrors={completing === task.id ? formErrors : undefined}
                pending={action.isPending}
                onComplete={(outcome, data) => act({ kind: 'complete', taskId: task.id, outcome, data })}
              />
            </section>
          ))}
          {(run.timer || run.messages.length > 0) && (
            <fieldset className="kern-fieldset vw-simulator__events">
              <legend className="kern-label">{t('testRun.outside')}</legend>
              {run.timer && (
                <button
                  type="button"
                  className="kern-btn kern-btn--secondary"
                  disabled={action.isPending}
                  onClick={() => act({ kind: 'timer' })}
                >
                  <span className="kern-label">{t('testRun.fireTimer', { due: when(run.timer.dueAt) })}</span>
                </button>
              )}
              {run.messages.length > 0 && (
                <div className={`kern-form-input vw-test-run__message${messageError ? ' kern-form-input--error' : ''}`}>
                  <label className="kern-label" htmlFor="testlauf-nachricht">
                    {t('testRun.messageData')}
                  </label>
                  <div className="kern-hint" id="testlauf-nachricht-hinweis">
                    {t('testRun.messageDataHint')}
                  </div>
                  {messageError && (
                    <p className="kern-error" id="testlauf-nachricht-fehler">
                      {messageError}
                    </p>
                  )}
                  <textarea
                    id="testlauf-nachricht"
                    className="kern-form-input__input vw-feel"
                    rows={3}
                    spellCheck={false}
                    aria-describedby={`testlauf-nachricht-hinweis${messageError ? ' testlauf-nachricht-fehler' : ''}`}
                    aria-invalid={messageError ? true : undefined}
                    value={messageText}
                    onChange={(e) => setMessageText(e.target.value)}
                  />
                </div>
              )}
              {run.messages.map((name) => (
                <button
                  key={name}
                  type="button"
                  className="kern-btn kern-btn--secondary"
                  disabled={action.isPending}
                  onClick={() => sendMessage(name)}
                >
                  <span className="kern-label">{t('testRun.message', { name })}</span>
                </button>
              ))}
            </fieldset>
          )}
          {run.status === 'active' && state?.kind === 'service' && <p className="kern-body">{t('testRun.running')}</p>}
        </div>
        <ReactFlowProvider>
          <Canvas definition={definition} marks={{ current: run.state }} />
        </ReactFlowProvider>
      </div>
      {run.jobs.length > 0 && (
        <table className="kern-table vw-test-run__jobs">
          <caption className="kern-title">{t('testRun.jobs')}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th className="kern-table__header">{t('testRun.step')}</th>
              <th className="kern-table__header">{t('testRun.call')}</th>
              <th className="kern-table__header">{t('testRun.jobStatus')}</th>
              <th className="kern-table__header">{t('testRun.attempts')}</th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {run.jobs.map((job) => (
              <tr key={job.id} className="kern-table__row">
                <td className="kern-table__cell">{label(job.state)}</td>
                <td className="kern-table__cell">
                  <code>
                    {job.connector} {job.operation}
                  </code>
                </td>
                <td className="kern-table__cell">
                  {t(`testRun.job.${job.status}`, { defaultValue: job.status })}
                  {job.error && <span className="vw-test-run__error"> {job.error}</span>}
                  {job.status === 'incident' && (
                    <button
                      type="button"
                      className="kern-btn kern-btn--tertiary"
                      disabled={action.isPending}
                      onClick={() => act({ kind: 'retry', jobId: job.id })}
                    >
                      <span className="kern-label">{t('testRun.retry')}</span>
                    </button>
                  )}
                </td>
                <td className="kern-table__cell">{job.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4 className="kern-heading kern-heading-small">{t('simulator.history')}</h4>
      <ol className="vw-simulator__history">
        {run.history.map((entry, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows; an entry is its position
          <li key={`${i}-${entry.at}`}>
            <strong>{when(entry.at)}</strong>: {label(entry.fromState)} → {label(entry.toState ?? entry.fromState)} (
            {entry.event ?? entry.kind}, {entry.actor}){entry.publicStatus && ` – „${entry.publicStatus}“`}
          </li>
        ))}
      </ol>
      <h4 className="kern-heading kern-heading-small">{t('simulator.variables')}</h4>
      <pre className="vw-simulator__vars">{JSON.stringify(run.variables, null, 2)}</pre>
    </section>
  );
}
