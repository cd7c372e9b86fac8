import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../app/api.ts';
import { ErrorSummary, type SummaryItem } from '../common/error-summary.tsx';
import { TextField } from '../common/text-field.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { BpmnImport } from './bpmn-import.tsx';
import { emptyDefinition } from './definition-edits.ts';
import { useProcedures, useSaveDraft } from './modeler-api.ts';
import './modeler.css';

/** `/designer`: every procedure of the tenant with its draft, newest version and running cases. */
export function ProcedureListPage() {
  const { t, i18n } = useTranslation('modeler');
  usePageTitle(t('list.title'));
  const procedures = useProcedures();
  const dates = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <div className="vw-list">
      <h1 className="kern-heading kern-heading-large">{t('list.title')}</h1>
      <p className="kern-body">{t('list.intro')}</p>
      {procedures.isPending && (
        <div className="kern-loader" role="status">
          <span className="visually-hidden">{t('loading')}</span>
        </div>
      )}
      {procedures.isError && (
        <div className="kern-alert kern-alert--danger" role="alert">
          <div className="kern-alert__body">
            <p className="kern-body">{procedures.error.message}</p>
          </div>
        </div>
      )}
      {procedures.data && (
        <table className="kern-table">
          <caption className="visually-hidden">{t('list.caption')}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">
                {t('list.procedure')}
              </th>
              <th scope="col" className="kern-table__header">
                {t('list.key')}
              </th>
              <th scope="col" className="kern-table__header">
                {t('list.draftSaved')}
              </th>
              <th scope="col" className="kern-table__header">
                {t('list.published')}
              </th>
              <th scope="col" className="kern-table__header">
                {t('list.running')}
              </th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {procedures.data.map((p) => (
              <tr key={p.key} className="kern-table__row">
                <th scope="row" className="kern-table__cell">
                  <Link className="kern-link" to={`/designer/${p.key}`}>
                    {p.title}
                  </Link>
                </th>
                <td className="kern-table__cell">
                  <code>{p.key}</code>
                </td>
                <td className="kern-table__cell">{dates.format(new Date(p.updatedAt))}</td>
                <td className="kern-table__cell">
                  {p.latestVersion === null ? t('list.unpublished') : t('list.version', { version: p.latestVersion })}
                </td>
                <td className="kern-table__cell">{p.runningCases}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewProcedureForm taken={procedures.data?.map((p) => p.key) ?? []} />
      <BpmnImport />
    </div>
  );
}

/** "Neues Verfahren": title, key and case number prefix make an empty draft, then the editor opens. */
function NewProcedureForm({ taken }: { taken: string[] }) {
  const { t } = useTranslation('modeler');
  const save = useSaveDraft();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [key, setKey] = useState('');
  const [prefix, setPrefix] = useState('');
  const [errors, setErrors] = useState<SummaryItem[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: SummaryItem[] = [];
    if (!title.trim()) found.push({ fieldId: 'neu-titel', message: t('create.titleMissing') });
    if (!/^[a-z][a-z0-9-]{1,62}$/.test(key)) found.push({ fieldId: 'neu-schluessel', message: t('create.keyInvalid') });
    else if (taken.includes(key)) found.push({ fieldId: 'neu-schluessel', message: t('create.keyTaken') });
    if (!/^[A-Z]{2,8}$/.test(prefix)) found.push({ fieldId: 'neu-praefix', message: t('create.prefixInvalid') });
    setErrors(found);
    if (found.length) return;
    try {
      await save.mutateAsync(emptyDefinition(key, title.trim(), prefix));
      navigate(`/designer/${key}`);
    } catch (error) {
      setErrors([{ fieldId: 'neu-titel', message: error instanceof ApiError ? error.message : String(error) }]);
    }
  };

  const errorOf = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  return (
    <section className="vw-new" aria-labelledby="neu-ueberschrift">
      <h2 id="neu-ueberschrift" className="kern-heading kern-heading-medium">
        {t('create.heading')}
      </h2>
      <ErrorSummary items={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="neu-titel"
          label={t('create.title')}
          value={title}
          error={errorOf('neu-titel')}
          onChange={(e) => setTitle(e.target.value)}
        />
        <TextField
          id="neu-schluessel"
          label={t('create.key')}
          hint={t('create.keyHint')}
          value={key}
          error={errorOf('neu-schluessel')}
          onChange={(e) => setKey(e.target.value)}
        />
        <TextField
          id="neu-praefix"
          label={t('create.prefix')}
          hint={t('create.prefixHint')}
          value={prefix}
          error={errorOf('neu-praefix')}
          onChange={(e) => setPrefix(e.target.value)}
        />
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('create.submit')}</span>
        </button>
      </form>
    </section>
  );
}
