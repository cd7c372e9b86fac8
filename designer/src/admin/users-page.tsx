import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../app/session.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { AccessForm } from './access-form.tsx';
import { calls, keys, type User, useAdminMutation, useGroups, useUsers } from './admin-api.ts';
import { ApiProblem } from './api-problem.tsx';
import { GroupsSection } from './groups-section.tsx';
import { NewUserForm } from './new-user-form.tsx';
import { QueryState } from './query-state.tsx';

/** Staff of the tenant: roles, groups, locking out (ends their sessions) and letting back in; and the groups. */
export function UsersPage() {
  const { t } = useTranslation('admin');
  usePageTitle(t('users.title'));
  const session = useSession();
  const users = useUsers();
  const groups = useGroups();
  const [editing, setEditing] = useState<User>();
  const [notice, setNotice] = useState('');
  const opener = useRef<HTMLButtonElement | null>(null);
  const lock = useAdminMutation(calls.setDisabled, [keys.users]);

  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('users.title')}</h1>
      <p className="kern-body" role="status">
        {notice}
      </p>
      <ApiProblem error={lock.error} fieldId={() => ''} />
      <QueryState query={users}>
        {(list) => (
          <div className="admin-table">
            <table className="kern-table">
              <caption className="kern-title">{t('users.caption', { count: list.length })}</caption>
              <thead className="kern-table__header">
                <tr className="kern-table__row">
                  <th className="kern-table__header" scope="col">
                    {t('users.username')}
                  </th>
                  <th className="kern-table__header" scope="col">
                    {t('users.roles')}
                  </th>
                  <th className="kern-table__header" scope="col">
                    {t('users.groups')}
                  </th>
                  <th className="kern-table__header" scope="col">
                    {t('users.status')}
                  </th>
                  <th className="kern-table__header" scope="col">
                    {t('users.actions')}
                  </th>
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {list.map((user) => (
                  <tr className="kern-table__row" key={user.id}>
                    <th className="kern-table__cell" scope="row">
                      {user.username}
                    </th>
                    <td className="kern-table__cell">{user.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
                    <td className="kern-table__cell">{user.groups.join(', ') || '–'}</td>
                    <td className="kern-table__cell">
                      <span className={`kern-badge kern-badge--${user.disabled ? 'danger' : 'success'}`}>
                        <span className="kern-label">{user.disabled ? t('users.disabled') : t('users.active')}</span>
                      </span>
                    </td>
                    <td className="kern-table__cell">
                      <div className="admin-row-actions">
                        {user.username !== session.data?.username && (
                          <button
                            type="button"
                            className="kern-btn kern-btn--secondary"
                            disabled={lock.isPending}
                            onClick={() =>
                              lock.mutate(
                                { id: user.id, disabled: !user.disabled },
                                {
                                  onSuccess: () =>
                                    setNotice(
                                      t(user.disabled ? 'users.enabledNotice' : 'users.disabledNotice', {
                                        name: user.username,
                                      }),
                                    ),
                                },
                              )
                            }
                          >
                            <span className="kern-label">
                              {user.disabled ? t('users.enable') : t('users.disable')}
                              <span className="visually-hidden"> {user.username}</span>
                            </span>
                          </button>
                        )}
                        <button
                          type="button"
                          className="kern-btn kern-btn--tertiary"
                          onClick={(event) => {
                            opener.current = event.currentTarget;
                            setNotice('');
                            setEditing(user);
                          }}
                        >
                          <span className="kern-label">
                            {t('users.editAccess')}
                            <span className="visually-hidden"> {user.username}</span>
                          </span>
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      {editing && (
        <AccessForm
          key={editing.id}
          user={editing}
          groups={groups.data ?? []}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) setNotice(t('users.accessSaved', { name: editing.username }));
            opener.current?.focus();
          }}
        />
      )}
      <NewUserForm groups={groups.data ?? []} onCreated={(name) => setNotice(t('users.created', { name }))} />
      <GroupsSection groups={groups} />
    </div>
  );
}
