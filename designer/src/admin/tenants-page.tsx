import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LAENDER } from '../../../engine/calendar/working-days.ts';
import { useSession } from '../app/session.ts';
import { SelectField, TextField } from '../common/text-field.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { calls, keys, useAdminMutation, useTenants } from './admin-api.ts';
import { ApiProblem, fieldError } from './api-problem.tsx';
import { QueryState } from './query-state.tsx';
import { TenantContactSection } from './tenant-contact-form.tsx';

const EMPTY = { id: '', name: '', land: 'NW', username: '', password: '' };
const FIELD_IDS: Record<string, string> = {
  id: 'mandant-kennung',
  name: 'mandant-name',
  land: 'mandant-land',
  'admin.username': 'mandant-admin',
  'admin.password': 'mandant-passwort',
};

/**
 * Tenants: the operator's admins see all and create new ones (with their first admin); every other admin sees only
 * their own tenant, and the server refuses them creating one. Every admin edits their own tenant's contact for the
 * accessibility statement here.
 */
export function TenantsPage() {
  const { t } = useTranslation('admin');
  usePageTitle(t('tenants.title'));
  const tenants = useTenants();
  const session = useSession();
  const [form, setForm] = useState(EMPTY);
  const [created, setCreated] = useState('');
  const create = useAdminMutation(calls.createTenant, [keys.tenants]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { id: form.id, name: form.name, land: form.land, admin: { username: form.username, password: form.password } },
      {
        onSuccess: () => {
          setCreated(t('tenants.created', { name: form.name }));
          setForm(EMPTY);
        },
      },
    );
  };
  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('tenants.title')}</h1>
      <QueryState query={tenants}>
        {(list) => (
          <table className="kern-table">
            <caption className="kern-title">{t('tenants.caption', { count: list.length })}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th className="kern-table__header" scope="col">
                  {t('tenants.id')}
                </th>
                <th className="kern-table__header" scope="col">
                  {t('tenants.name')}
                </th>
                <th className="kern-table__header" scope="col">
                  {t('tenants.land')}
                </th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {list.map((tenant) => (
                <tr className="kern-table__row" key={tenant.id}>
                  <th className="kern-table__cell" scope="row">
                    {tenant.id}
                  </th>
                  <td className="kern-table__cell">{tenant.name}</td>
                  <td className="kern-table__cell">{tenant.land}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      {session.data && <TenantContactSection tenantId={session.data.tenant} />}
      <section className="kern-stack" aria-labelledby="mandant-neu-titel">
        <h2 className="kern-heading" id="mandant-neu-titel">
          {t('tenants.newTitle')}
        </h2>
        <p className="kern-body">{t('tenants.operatorOnly')}</p>
        <form className="kern-stack narrow" noValidate onSubmit={submit}>
          <ApiProblem error={create.error} fieldId={(path) => FIELD_IDS[path] ?? 'mandant-kennung'} />
          <TextField
            id="mandant-kennung"
            label={t('tenants.id')}
            hint={t('tenants.idHint')}
            value={form.id}
            error={fieldError(create.error, 'id')}
            onChange={(event) => setForm({ ...form, id: event.target.value })}
          />
          <TextField
            id="mandant-name"
            label={t('tenants.name')}
            value={form.name}
            error={fieldError(create.error, 'name')}
            onChange={(event) => setForm({ ...form, name: event.target.value })}
          />
          <SelectField
            id="mandant-land"
            label={t('tenants.land')}
            value={form.land}
            onChange={(event) => setForm({ ...form, land: event.target.value })}
          >
            {LAENDER.map((land) => (
              <option key={land} value={land}>
                {land}
              </option>
            ))}
          </SelectField>
          <TextField
            id="mandant-admin"
            label={t('tenants.adminName')}
            hint={t('users.usernameHint')}
            autoComplete="off"
            value={form.username}
            error={fieldError(create.error, 'admin.username')}
            onChange={(event) => setForm({ ...form, username: event.target.value })}
          />
          <TextField
            id="mandant-passwort"
            label={t('tenants.adminPassword')}
            hint={t('users.passwordHint')}
            type="password"
            autoComplete="new-password"
            value={form.password}
            error={fieldError(create.error, 'admin.password')}
            onChange={(event) => setForm({ ...form, password: event.target.value })}
          />
          <div className="admin-actions">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={create.isPending}>
              <span className="kern-label">{t('tenants.create')}</span>
            </button>
          </div>
          <p className="kern-body" role="status">
            {created}
          </p>
        </form>
      </section>
    </div>
  );
}
