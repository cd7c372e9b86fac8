import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { SelectField, TextField } from '../common/text-field.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { useCases } from './admin-api.ts';
import { QueryState } from './query-state.tsx';

const FILTERS = ['number', 'procedure', 'state', 'status'] as const;
const STATUSES = ['active', 'done', 'cancelled'] as const;

/** Case search by case number (its beginning), procedure, state and status; the filters live in the URL. */
export function CasesPage() {
  const { t, i18n } = useTranslation('admin');
  usePageTitle(t('cases.title'));
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState(() => Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])));
  const query = new URLSearchParams(FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f) ?? '']] : [])));
  const cases = useCases(query.toString());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries(form).filter(([, value]) => value.trim() !== '')));
  };
  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('cases.title')}</h1>
      <search>
        <form className="admin-filters" noValidate onSubmit={submit} aria-label={t('cases.search')}>
          <TextField
            id="suche-aktenzeichen"
            label={t('cases.number')}
            hint={t('cases.numberHint')}
            value={form.number}
            onChange={(event) => setForm({ ...form, number: event.target.value })}
          />
          <TextField
            id="suche-verfahren"
            label={t('cases.procedure')}
            value={form.procedure}
            onChange={(event) => setForm({ ...form, procedure: event.target.value })}
          />
          <TextField
            id="suche-zustand"
            label={t('cases.state')}
            value={form.state}
            onChange={(event) => setForm({ ...form, state: event.target.value })}
          />
          <SelectField
            id="suche-status"
            label={t('cases.status')}
            value={form.status}
            onChange={(event) => setForm({ ...form, status: event.target.value })}
          >
            <option value="">{t('cases.anyStatus')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`cases.statuses.${status}`)}
              </option>
            ))}
          </SelectField>
          <div className="admin-actions">
            <button type="submit" className="kern-btn kern-btn--primary">
              <span className="kern-label">{t('cases.searchButton')}</span>
            </button>
          </div>
        </form>
      </search>
      <QueryState query={cases}>
        {(list) => (
          <>
            <p className="kern-body" role="status">
              {t('cases.found', { count: list.length })}
            </p>
            {list.length > 0 && (
              <div className="admin-table">
                <table className="kern-table">
                  <caption className="kern-title">{t('cases.caption')}</caption>
                  <thead className="kern-table__header">
                    <tr className="kern-table__row">
                      <th className="kern-table__header" scope="col">
                        {t('cases.number')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('cases.procedure')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('cases.state')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('cases.status')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('cases.updated')}
                      </th>
                    </tr>
                  </thead>
                  <tbody className="kern-table__body">
                    {list.map((c) => (
                      <tr className="kern-table__row" key={c.id}>
                        <th className="kern-table__cell" scope="row">
                          <Link className="kern-link" to={`/admin/vorgaenge/${c.id}`}>
                            {c.caseNumber}
                          </Link>
                        </th>
                        <td className="kern-table__cell">
                          {c.procedure} v{c.version}
                        </td>
                        <td className="kern-table__cell">{c.state}</td>
                        <td className="kern-table__cell">{t(`cases.statuses.${c.status}`)}</td>
                        <td className="kern-table__cell">{new Date(c.updatedAt).toLocaleString(i18n.language)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryState>
    </div>
  );
}
