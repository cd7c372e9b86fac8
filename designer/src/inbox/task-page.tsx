import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useSession } from '../app/session.ts';
import { ShortcutsDialog } from '../common/shortcuts-dialog.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { FormView } from '../forms/form-view.tsx';
import { CaseHistory } from './case-history.tsx';
import { isConflict } from './conflict.ts';
import { actions, useInboxAction, useTask, useTaskContext } from './inbox-api.ts';
import { TaskActions } from './task-actions.tsx';
import { TaskAttachments } from './task-attachments.tsx';
import { TaskCompletion } from './task-completion.tsx';
import { TaskDiagram } from './task-diagram.tsx';
import { TaskNotes } from './task-notes.tsx';
import { useDates } from './use-dates.ts';
import { useShortcuts } from './use-shortcuts.ts';

/** One task: what it is about, the actions on it, its form and outcomes, the application, files, history, notes. */
export function TaskPage() {
  const { t } = useTranslation('inbox');
  const { id = '' } = useParams();
  const task = useTask(id);
  const context = useTaskContext(id);
  const session = useSession();
  const dates = useDates();
  const navigate = useNavigate();
  const location = useLocation();
  const back = `/inbox${typeof location.state?.back === 'string' ? location.state.back : ''}`;
  const [conflict, setConflict] = useState('');
  const claim = useInboxAction(actions.claim, {
    onError: (error) => setConflict(isConflict(error) ? t('conflict.claim') : error.message),
  });
  const help = useRef<HTMLDialogElement>(null);
  const completion = useRef<HTMLFormElement>(null);
  usePageTitle(task.data ? `${task.data.title} ${task.data.caseNumber}` : t('detail.loading'));

  const me = session.data?.username ?? '';
  const data = task.data;
  const canComplete = data?.state === 'open' && data.assignee === me;

  useShortcuts([
    { key: '?', run: () => help.current?.showModal() },
    {
      key: 'c',
      run: () => {
        if (data?.state === 'open' && data.assignee === null) claim.mutate(data.id);
      },
    },
    { key: 'Enter', ctrl: true, run: () => completion.current?.requestSubmit() },
    { key: 'Escape', run: () => navigate(back) },
  ]);

  if (task.isError)
    return (
      <div className="kern-stack">
        <h1 className="kern-heading">{t('detail.notFound')}</h1>
        <Link className="kern-link" to={back}>
          {t('detail.back')}
        </Link>
      </div>
    );
  if (!data) return <p className="kern-body">{t('detail.loading')}</p>;

  return (
    <div className="kern-stack inbox">
      <Link className="kern-link" to={back}>
        {t('detail.back')}
      </Link>
      <div className="inbox-heading">
        <h1 className="kern-heading">{data.title}</h1>
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => help.current?.showModal()}>
          <span className="kern-label">{t('shortcuts.show')}</span>
        </button>
      </div>
      <dl className="kern-description-list">
        {[
          [t('columns.procedure'), data.procedureTitle],
          [t('columns.caseNumber'), data.caseNumber],
          [t('detail.group'), data.group],
          [
            t('columns.due'),
            data.dueAt
              ? `${dates.date(data.dueAt)}${data.state === 'open' && new Date(data.dueAt) < new Date() ? ` (${t('list.overdue')})` : ''}`
              : '–',
          ],
          [t('columns.assignee'), data.assignee ?? t('detail.nobody')],
          [t('detail.state'), data.state === 'open' ? t('detail.open') : t('detail.done')],
        ].map(([key, value]) => (
          <div className="kern-description-list-item" key={key}>
            <dt className="kern-description-list-item__key">{key}</dt>
            <dd className="kern-description-list-item__value">{value}</dd>
          </div>
        ))}
      </dl>

      <div role="alert">
        {conflict && (
          <div className="kern-alert kern-alert--danger">
            <div className="kern-alert__header">
              <span className="kern-title">{conflict}</span>
            </div>
          </div>
        )}
      </div>

      {context.data && (
        <TaskActions task={data} context={context.data} me={me} onConflict={(message) => setConflict(message)} />
      )}

      {canComplete && (
        <section className="kern-stack" aria-labelledby="aufgabe-bearbeiten">
          <h2 className="kern-heading" id="aufgabe-bearbeiten">
            {t('complete.title')}
          </h2>
          <TaskCompletion
            key={data.id}
            task={data}
            formRef={completion}
            onCompleted={() => navigate(back, { state: { completed: data.title } })}
            onConflict={setConflict}
          />
        </section>
      )}
      {data.state === 'open' && data.assignee === null && <p className="kern-body">{t('complete.claimFirst')}</p>}

      <section className="kern-stack" aria-labelledby="antrag">
        <h2 className="kern-heading" id="antrag">
          {t('detail.application')}
        </h2>
        <FormView
          form={data.applicationForm}
          values={data.caseData}
          onChange={() => {}}
          errors={[]}
          idPrefix="antrag"
          readOnly
        />
      </section>

      {context.data && (
        <>
          <section className="kern-stack" aria-labelledby="anlagen">
            <h2 className="kern-heading" id="anlagen">
              {t('attachments.title')}
            </h2>
            <TaskAttachments taskId={data.id} attachments={context.data.attachments} />
          </section>
          <section className="kern-stack" aria-labelledby="stand">
            <h2 className="kern-heading" id="stand">
              {t('detail.diagram')}
            </h2>
            <TaskDiagram diagram={context.data.diagram} current={context.data.caseState} />
          </section>
          <section className="kern-stack" aria-labelledby="verlauf">
            <h2 className="kern-heading" id="verlauf">
              {t('history.title')}
            </h2>
            <CaseHistory context={context.data} />
          </section>
          <section className="kern-stack" aria-labelledby="notizen">
            <h2 className="kern-heading" id="notizen">
              {t('notes.title')}
            </h2>
            <TaskNotes taskId={data.id} notes={context.data.notes} />
          </section>
        </>
      )}

      <ShortcutsDialog
        ref={help}
        title={t('shortcuts.title')}
        closeLabel={t('shortcuts.close')}
        className="inbox-dialog"
        items={[
          { keys: 'c', label: t('shortcuts.claim') },
          { keys: t('shortcuts.ctrlEnter'), label: t('shortcuts.complete') },
          { keys: 'Esc', label: t('shortcuts.back') },
          { keys: '?', label: t('shortcuts.help') },
        ]}
      />
    </div>
  );
}
