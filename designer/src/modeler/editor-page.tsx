import { useEffect, useMemo, useRef, useState } from 'react';
import { Toolbar } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import { useStore } from 'zustand';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import { type Problem, validateDefinition } from '../../../engine/definition/validate.ts';
import { ApiError } from '../app/api.ts';
import { ShortcutsDialog } from '../common/shortcuts-dialog.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { tidy } from './definition-edits.ts';
import { EditorContext } from './editor-context.ts';
import { createEditorStore, type EditorStore, redo, undo } from './editor-store.ts';
import { LeaveGuard } from './leave-guard.tsx';
import {
  type ConnectorManifest,
  catalogOf,
  useConnectors,
  useDraft,
  useGroups,
  usePublish,
  useSaveDraft,
} from './modeler-api.ts';
import './modeler.css';

/** What the editor's sub-pages (model, simulation, versions) share. */
export type EditorOutlet = {
  store: EditorStore;
  definition: Definition;
  problems: Problem[];
  connectors: ConnectorManifest[];
  groups: string[];
};

/** The editor's shortcuts, listed under `?`. */
const SHORTCUTS = ['undo', 'redo', 'save', 'delete', 'move', 'select', 'help'] as const;

export function useEditorOutlet() {
  return useOutletContext<EditorOutlet>();
}

type Notice = { tone: 'success' | 'danger' | 'info'; title: string; lines?: string[] };

function typing(target: EventTarget | null) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** `/designer/:key`: loads the draft into an undoable store, validates as it changes, saves and publishes. */
export function EditorPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation('modeler');
  const draft = useDraft(key);
  const connectors = useConnectors();
  const groups = useGroups();
  const [store] = useState(createEditorStore);
  const definition = useStore(store, (s) => s.definition);
  const canUndo = useStore(store.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (s) => s.futureStates.length > 0);
  const [saved, setSaved] = useState<Definition | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const save = useSaveDraft();
  const publish = usePublish();
  const shortcuts = useRef<HTMLDialogElement>(null);
  usePageTitle(definition ? t('editor.pageTitle', { title: definition.title }) : t('loading'));

  useEffect(() => {
    if (draft.data) {
      store.getState().load(draft.data);
      setSaved(draft.data);
    }
  }, [draft.data, store]);

  const problems = useMemo(
    () =>
      definition
        ? validateDefinition(definition, {
            groups: groups.data,
            connectors: connectors.data ? catalogOf(connectors.data) : undefined,
          })
        : [],
    [definition, groups.data, connectors.data],
  );

  const saveDraft = async (): Promise<boolean> => {
    const current = store.getState().definition;
    if (!current) return false;
    try {
      const result = await save.mutateAsync(current);
      setSaved(current);
      setNotice({
        tone: 'success',
        title: t('editor.saved'),
        lines: result.problems.length ? [t('editor.savedWithProblems', { count: result.problems.length })] : [],
      });
      return true;
    } catch (error) {
      setNotice({ tone: 'danger', title: t('editor.saveFailed'), lines: errorLines(error) });
      return false;
    }
  };

  const publishDraft = async () => {
    if (problems.length) {
      setNotice({ tone: 'danger', title: t('editor.publishRefused', { count: problems.length }) });
      return;
    }
    if (!(await saveDraft())) return;
    try {
      const result = await publish.mutateAsync(key);
      setNotice({ tone: 'success', title: t('editor.published', { version: result.version }) });
    } catch (error) {
      setNotice({ tone: 'danger', title: t('editor.publishFailed'), lines: errorLines(error) });
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (typing(event.target)) return;
    const mod = event.ctrlKey || event.metaKey;
    const k = event.key.toLowerCase();
    if (mod && k === 'z' && !event.shiftKey) undo(store);
    else if (mod && ((k === 'z' && event.shiftKey) || k === 'y')) redo(store);
    else if (mod && k === 's') void saveDraft();
    else if (event.key === '?') shortcuts.current?.showModal();
    else return;
    event.preventDefault();
  };
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keyHandler.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  if (draft.isError) {
    return (
      <div className="kern-alert kern-alert--danger" role="alert">
        <div className="kern-alert__header">
          <h1 className="kern-title">{t('editor.loadFailed')}</h1>
        </div>
        <div className="kern-alert__body">
          <p className="kern-body">{draft.error.message}</p>
          <Link className="kern-link" to="/designer">
            {t('editor.back')}
          </Link>
        </div>
      </div>
    );
  }
  if (!definition) {
    return (
      <div className="kern-loader" role="status">
        <span className="visually-hidden">{t('loading')}</span>
      </div>
    );
  }

  const outlet: EditorOutlet = {
    store,
    definition,
    problems,
    connectors: connectors.data ?? [],
    groups: groups.data ?? [],
  };
  const dirty = definition !== saved;
  return (
    <EditorContext.Provider value={store}>
      <div className="vw-editor">
        <p className="vw-editor__back">
          <Link className="kern-link" to="/designer">
            {t('editor.back')}
          </Link>
        </p>
        <div className="vw-editor__bar">
          <h1 className="kern-heading kern-heading-medium">
            {definition.title} <code className="vw-editor__key">{definition.key}</code>
          </h1>
          <span className={`kern-badge${dirty ? ' kern-badge--warning' : ''}`} role="status">
            {dirty ? t('editor.unsaved') : t('editor.clean')}
          </span>
        </div>
        {/* React Aria's toolbar: arrow keys move between its buttons (WAI-ARIA toolbar pattern). */}
        <Toolbar className="vw-toolbar" aria-label={t('editor.toolbar')}>
          <button
            type="button"
            className="kern-btn kern-btn--primary"
            onClick={() => void saveDraft()}
            disabled={save.isPending}
          >
            <span className="kern-label">{t('editor.save')}</span>
          </button>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => void publishDraft()}
            disabled={publish.isPending}
          >
            <span className="kern-label">{t('editor.publish')}</span>
          </button>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => undo(store)}
            disabled={!canUndo}
          >
            <span className="kern-label">{t('editor.undo')}</span>
          </button>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => redo(store)}
            disabled={!canRedo}
          >
            <span className="kern-label">{t('editor.redo')}</span>
          </button>
          <button type="button" className="kern-btn kern-btn--secondary" onClick={() => store.getState().apply(tidy)}>
            <span className="kern-label">{t('editor.tidy')}</span>
          </button>
          <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => shortcuts.current?.showModal()}>
            <span className="kern-label">{t('editor.shortcuts')}</span>
          </button>
        </Toolbar>
        <div aria-live="polite">
          {notice && (
            <div className={`kern-alert kern-alert--${notice.tone}`}>
              <div className="kern-alert__header">
                <p className="kern-title">{notice.title}</p>
              </div>
              {notice.lines && notice.lines.length > 0 && (
                <div className="kern-alert__body">
                  <ul className="kern-list">
                    {notice.lines.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          )}
        </div>
        <nav className="vw-tabs" aria-label={t('editor.views')}>
          <NavLink className="kern-link" to="" end>
            {t('editor.model')}
          </NavLink>
          <NavLink className="kern-link" to="formular">
            {t('editor.forms')}
          </NavLink>
          <NavLink className="kern-link" to="simulation">
            {t('editor.simulation')}
          </NavLink>
          <NavLink className="kern-link" to="testlauf">
            {t('editor.testRun')}
          </NavLink>
          <NavLink className="kern-link" to="versionen">
            {t('editor.versions')}
          </NavLink>
          <NavLink className="kern-link" to="bpmn">
            {t('editor.bpmn')}
          </NavLink>
        </nav>
        <Outlet context={outlet} />
        <LeaveGuard dirty={dirty} base={`/designer/${key}`} />
        <ShortcutsDialog
          ref={shortcuts}
          title={t('shortcuts.title')}
          closeLabel={t('shortcuts.close')}
          className="vw-dialog"
          items={SHORTCUTS.map((s) => ({ keys: t(`shortcuts.${s}.keys`), label: t(`shortcuts.${s}.action`) }))}
        />
      </div>
    </EditorContext.Provider>
  );
}

function errorLines(error: unknown): string[] {
  if (error instanceof ApiError) return [error.message, ...error.errors.map((e) => `${e.path}: ${e.message}`)];
  return [error instanceof Error ? error.message : String(error)];
}
