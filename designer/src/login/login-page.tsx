import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../app/api.ts';
import { homeOf, useLogin, useSession } from '../app/session.ts';
import { ErrorSummary, type SummaryItem } from '../common/error-summary.tsx';
import { TextField } from '../common/text-field.tsx';
import { usePageTitle } from '../common/use-page-title.ts';

/** Staff sign-in; afterwards to the page that asked for it, else to the area of the person's role. */
export function LoginPage() {
  const { t } = useTranslation('login');
  usePageTitle(t('title'));
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const next = params.get('weiter');
  const target = (user: Parameters<typeof homeOf>[0]) =>
    next?.startsWith('/') && !next.startsWith('//') ? next : homeOf(user);

  if (session.data) return <Navigate to={target(session.data)} replace />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const missing: SummaryItem[] = [];
    if (!username) missing.push({ fieldId: 'username', message: t('required', { field: t('username') }) });
    if (!password) missing.push({ fieldId: 'password', message: t('required', { field: t('password') }) });
    setErrors(missing);
    if (missing.length) return;
    login.mutate(
      { username, password },
      {
        onSuccess: ({ user }) => navigate(target(user), { replace: true }),
        onError: (error) =>
          setErrors([
            {
              fieldId: 'username',
              message: error instanceof ApiError && error.status === 401 ? t('failed') : error.message,
            },
          ]),
      },
    );
  };

  const fieldError = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  return (
    <div className="narrow kern-stack">
      <h1 className="kern-heading">{t('title')}</h1>
      <p className="kern-body">{t('intro')}</p>
      <ErrorSummary items={errors} />
      <form className="kern-stack" noValidate onSubmit={submit}>
        <TextField
          id="username"
          name="username"
          label={t('username')}
          autoComplete="username"
          error={fieldError('username')}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t('password')}
          autoComplete="current-password"
          error={fieldError('password')}
        />
        <button type="submit" className="kern-btn kern-btn--primary" disabled={login.isPending}>
          <span className="kern-label">{t('submit')}</span>
        </button>
      </form>
    </div>
  );
}
