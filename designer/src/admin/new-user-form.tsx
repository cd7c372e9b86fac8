import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../common/text-field.tsx';
import { calls, type Group, keys, type Role, STAFF_ROLES, useAdminMutation } from './admin-api.ts';
import { ApiProblem, fieldError } from './api-problem.tsx';
import { CheckboxGroup } from './checkbox-group.tsx';

const EMPTY = { username: '', password: '', roles: [] as string[], groups: [] as string[] };

/** Creates a staff account of the tenant with a first password, roles and groups. */
export function NewUserForm({ groups, onCreated }: { groups: Group[]; onCreated: (name: string) => void }) {
  const { t } = useTranslation('admin');
  const [form, setForm] = useState(EMPTY);
  const create = useAdminMutation(calls.createUser, [keys.users, keys.groups]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { ...form, roles: form.roles as Role[] },
      {
        onSuccess: () => {
          onCreated(form.username);
          setForm(EMPTY);
        },
      },
    );
  };
  const ids: Record<string, string> = {
    username: 'neu-benutzername',
    password: 'neu-passwort',
    roles: 'neu-rollen',
    groups: 'neu-gruppen',
  };
  return (
    <section className="kern-stack" aria-labelledby="neu-titel">
      <h2 className="kern-heading" id="neu-titel">
        {t('users.newTitle')}
      </h2>
      <form className="kern-stack narrow" noValidate onSubmit={submit}>
        <ApiProblem error={create.error} fieldId={(path) => ids[path.split('.')[0] ?? ''] ?? ids.username!} />
        <TextField
          id={ids.username!}
          label={t('users.username')}
          hint={t('users.usernameHint')}
          autoComplete="off"
          value={form.username}
          error={fieldError(create.error, 'username')}
          onChange={(event) => setForm({ ...form, username: event.target.value })}
        />
        <TextField
          id={ids.password!}
          label={t('users.password')}
          hint={t('users.passwordHint')}
          type="password"
          autoComplete="new-password"
          value={form.password}
          error={fieldError(create.error, 'password')}
          onChange={(event) => setForm({ ...form, password: event.target.value })}
        />
        <CheckboxGroup
          id={ids.roles!}
          legend={t('users.roles')}
          options={STAFF_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          selected={form.roles}
          error={fieldError(create.error, 'roles')}
          onChange={(roles) => setForm({ ...form, roles })}
        />
        {groups.length > 0 && (
          <CheckboxGroup
            id={ids.groups!}
            legend={t('users.groups')}
            options={groups.map((g) => ({ value: g.name, label: g.name }))}
            selected={form.groups}
            onChange={(chosen) => setForm({ ...form, groups: chosen })}
          />
        )}
        <div className="admin-actions">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={create.isPending}>
            <span className="kern-label">{t('users.create')}</span>
          </button>
        </div>
      </form>
    </section>
  );
}
