import type { UseQueryResult } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../common/text-field.tsx';
import { calls, type Group, keys, useAdminMutation } from './admin-api.ts';
import { ApiProblem, fieldError } from './api-problem.tsx';
import { QueryState } from './query-state.tsx';

/** The tenant's groups (task inboxes) with their member counts, and a form for a new one. */
export function GroupsSection({ groups }: { groups: UseQueryResult<Group[]> }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState('');
  const [created, setCreated] = useState('');
  const create = useAdminMutation(calls.createGroup, [keys.groups]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name, {
      onSuccess: () => {
        setCreated(t('groups.created', { name }));
        setName('');
      },
    });
  };
  return (
    <section className="kern-stack" aria-labelledby="gruppen-titel">
      <h2 className="kern-heading" id="gruppen-titel">
        {t('groups.title')}
      </h2>
      <QueryState query={groups}>
        {(list) => (
          <table className="kern-table">
            <caption className="kern-title">{t('groups.caption', { count: list.length })}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th className="kern-table__header" scope="col">
                  {t('groups.name')}
                </th>
                <th className="kern-table__header kern-table__header--numeric" scope="col">
                  {t('groups.members')}
                </th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {list.map((group) => (
                <tr className="kern-table__row" key={group.id}>
                  <th className="kern-table__cell" scope="row">
                    {group.name}
                  </th>
                  <td className="kern-table__cell kern-table__cell--numeric">{group.members}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <form className="kern-stack narrow" noValidate onSubmit={submit} aria-labelledby="gruppe-neu-titel">
        <h3 className="kern-title" id="gruppe-neu-titel">
          {t('groups.newTitle')}
        </h3>
        <ApiProblem error={create.error} fieldId={() => 'gruppe-name'} />
        <TextField
          id="gruppe-name"
          label={t('groups.name')}
          value={name}
          error={fieldError(create.error, 'name')}
          onChange={(event) => setName(event.target.value)}
        />
        <div className="admin-actions">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={create.isPending}>
            <span className="kern-label">{t('groups.create')}</span>
          </button>
        </div>
        <p className="kern-body" role="status">
          {created}
        </p>
      </form>
    </section>
  );
}
