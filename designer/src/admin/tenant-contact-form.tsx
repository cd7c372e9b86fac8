import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';
import { TextAreaField, TextField } from '../common/text-field.tsx';
import { calls, keys, type TenantContact, useAdminMutation, useTenantContact } from './admin-api.ts';
import { ApiProblem } from './api-problem.tsx';
import { QueryState } from './query-state.tsx';

const FIELD_IDS: Record<string, string> = {
  email: 'kontakt-email',
  phone: 'kontakt-telefon',
  address: 'kontakt-anschrift',
  reviewedOn: 'kontakt-datum',
};

/** The field id for an API path; `address.2` (one line of the address) belongs to the address field. */
const fieldIdOf = (path: string) => FIELD_IDS[path.split('.')[0] ?? ''] ?? 'kontakt-email';

/** The API's message for a field, also when it names one line of it (`address.2`). */
function errorOf(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.path === field || e.path.startsWith(`${field}.`))?.message;
}

function ContactFields({ tenantId, initial }: { tenantId: string; initial: TenantContact | null }) {
  const { t } = useTranslation('admin');
  const [form, setForm] = useState({
    email: initial?.email ?? '',
    phone: initial?.phone ?? '',
    address: initial?.address.join('\n') ?? '',
    reviewedOn: initial?.reviewedOn ?? '',
  });
  const [saved, setSaved] = useState('');
  const save = useAdminMutation(calls.saveTenantContact, [keys.tenantContact(tenantId), ['portal-tenant']]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved('');
    const address = form.address
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    save.mutate({ id: tenantId, ...form, address }, { onSuccess: () => setSaved(t('contact.saved')) });
  };
  const change = (field: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [field]: event.target.value });
  return (
    <form className="kern-stack narrow" noValidate onSubmit={submit}>
      <ApiProblem error={save.error} fieldId={fieldIdOf} />
      <TextField
        id="kontakt-email"
        label={t('contact.email')}
        type="email"
        autoComplete="off"
        value={form.email}
        error={errorOf(save.error, 'email')}
        onChange={change('email')}
      />
      <TextField
        id="kontakt-telefon"
        label={t('contact.phone')}
        hint={t('contact.phoneHint')}
        type="tel"
        autoComplete="off"
        value={form.phone}
        error={errorOf(save.error, 'phone')}
        onChange={change('phone')}
      />
      <TextAreaField
        id="kontakt-anschrift"
        label={t('contact.address')}
        hint={t('contact.addressHint')}
        rows={5}
        value={form.address}
        error={errorOf(save.error, 'address')}
        onChange={change('address')}
      />
      <TextField
        id="kontakt-datum"
        label={t('contact.reviewedOn')}
        hint={t('contact.reviewedOnHint')}
        type="date"
        value={form.reviewedOn}
        error={errorOf(save.error, 'reviewedOn')}
        onChange={change('reviewedOn')}
      />
      <div className="admin-actions">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('contact.save')}</span>
        </button>
      </div>
      <p className="kern-body" role="status">
        {saved}
      </p>
    </form>
  );
}

/**
 * The own tenant's contact for feedback on barriers and the date of its accessibility statement (BITV 2.0 § 7), as
 * the citizen portal's statement shows them.
 */
export function TenantContactSection({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation('admin');
  const contact = useTenantContact(tenantId);
  return (
    <section className="kern-stack" aria-labelledby="kontakt-titel">
      <h2 className="kern-heading" id="kontakt-titel">
        {t('contact.title')}
      </h2>
      <p className="kern-body">{t('contact.intro')}</p>
      <QueryState query={contact}>{(data) => <ContactFields tenantId={tenantId} initial={data.contact} />}</QueryState>
    </section>
  );
}
