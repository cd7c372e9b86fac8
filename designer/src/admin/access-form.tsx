import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { calls, type Group, keys, type Role, STAFF_ROLES, type User, useAdminMutation } from './admin-api.ts';
import { ApiProblem, fieldError } from './api-problem.tsx';
import { CheckboxGroup } from './checkbox-group.tsx';

/** Changes a user's roles and group memberships. */
export function AccessForm({
  user,
  groups,
  onDone,
}: {
  user: User;
  groups: Group[];
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation('admin');
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [memberOf, setMemberOf] = useState<string[]>(user.groups);
  const save = useAdminMutation(calls.setAccess, [keys.users, keys.groups]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: user.id, roles: roles as Role[], groups: memberOf }, { onSuccess: () => onDone(true) });
  };
  return (
    <section className="kern-card admin-card" aria-labelledby="zugang-titel">
      <div className="kern-card__container">
        <form className="kern-stack" noValidate onSubmit={submit}>
          <h2 className="kern-title" id="zugang-titel" ref={heading} tabIndex={-1}>
            {t('users.accessTitle', { name: user.username })}
          </h2>
          <ApiProblem
            error={save.error}
            fieldId={(path) => (path.startsWith('groups') ? 'zugang-gruppen' : 'zugang-rollen')}
          />
          <CheckboxGroup
            id="zugang-rollen"
            legend={t('users.roles')}
            options={STAFF_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            selected={roles}
            error={fieldError(save.error, 'roles')}
            onChange={setRoles}
          />
          <CheckboxGroup
            id="zugang-gruppen"
            legend={t('users.groups')}
            options={groups.map((g) => ({ value: g.name, label: g.name }))}
            selected={memberOf}
            onChange={setMemberOf}
          />
          <div className="admin-actions">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
              <span className="kern-label">{t('common.save')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--secondary" onClick={() => onDone(false)}>
              <span className="kern-label">{t('common.back')}</span>
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
