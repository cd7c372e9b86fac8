import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../app/api.ts';
import { ErrorSummary, type SummaryItem } from '../common/error-summary.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { FormSummary } from '../forms/form-summary.tsx';
import { fieldAt, initialValues } from '../forms/form-values.ts';
import { FormView, fieldId } from '../forms/form-view.tsx';
import { useIssueMessage } from '../forms/use-issue-message.ts';
import { type FormError, validateForm, visibleData } from '../forms/validate-form.ts';
import {
  discardDraft,
  errorsOfStep,
  formErrorsOf,
  loadDraft,
  type Procedure,
  type Submitted,
  saveDraft,
  stepsOf,
} from './application.ts';
import { QueryProblem } from './query-problem.tsx';

const ID_PREFIX = 'antrag';
const CHECK = 'pruefen';

/** `/leistungen/:key/antrag`: the application form, one group per step, then check-your-answers and submit. */
export function ApplicationPage() {
  const { key = '' } = useParams();
  const procedure = useQuery({
    queryKey: ['procedure', key],
    queryFn: () => api<Procedure>('GET', `/api/procedures/${key}`),
  });
  if (!procedure.data) return <QueryProblem query={procedure} />;
  return <ApplicationFlow key={procedure.data.key} procedure={procedure.data} />;
}

function ApplicationFlow({ procedure }: { procedure: Procedure }) {
  const { t } = useTranslation('portal');
  const navigate = useNavigate();
  const message = useIssueMessage();
  const [params, setParams] = useSearchParams();
  const form = procedure.form;
  const steps = stepsOf(form);
  const [draft] = useState(() => loadDraft(localStorage, procedure.key));
  const [values, setValues] = useState(() => draft?.values ?? initialValues(form));
  const [errors, setErrors] = useState<FormError[]>([]);
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [submitProblem, setSubmitProblem] = useState<string>();
  const [sending, setSending] = useState(false);
  const [stored, setStored] = useState(true);
  const heading = useRef<HTMLHeadingElement>(null);

  const requested = params.get('schritt');
  const checking = requested === CHECK;
  const index = checking ? steps.length : Math.min(Math.max(Number(requested) || 1, 1), steps.length) - 1;
  const step = steps[index];
  const stepTitle = checking
    ? t('apply.checkTitle')
    : ((step ? form.properties[step]?.title : form.title) ?? procedure.title);
  usePageTitle(`${stepTitle} – ${procedure.title}`);

  useEffect(() => {
    setStored(
      saveDraft(localStorage, procedure.key, { version: procedure.version, values, savedAt: new Date().toISOString() }),
    );
  }, [values, procedure.key, procedure.version]);
  const arrived = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new step (not the first page, not a re-render) moves focus to its heading
  useEffect(() => {
    if (arrived.current && !summary.length) heading.current?.focus();
    arrived.current = true;
  }, [index, checking]);

  const validate = (data: Record<string, unknown>) => validateForm(form, data, { message });
  const goTo = (target: number | typeof CHECK) => setParams({ schritt: String(target === CHECK ? CHECK : target + 1) });
  const showErrors = (found: FormError[]) => {
    setErrors(found);
    setSummary(
      found.map((e) => {
        const label = fieldAt(form, e.path)?.title;
        return { fieldId: fieldId(ID_PREFIX, e.path), message: label ? `${label}: ${e.message}` : e.message };
      }),
    );
  };

  const change = (next: Record<string, unknown>) => {
    setValues(next);
    if (errors.length) {
      const failing = new Set(errors.map((e) => e.path));
      setErrors(errorsOfStep(validate(next), step).filter((e) => failing.has(e.path)));
    }
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    const found = errorsOfStep(validate(values), step);
    if (found.length) return showErrors(found);
    showErrors([]);
    goTo(params.get('zurueck') === CHECK || index === steps.length - 1 ? CHECK : index + 1);
  };

  const showStepErrors = (found: FormError[]) => {
    const first = steps.findIndex((s) => errorsOfStep(found, s).length > 0);
    const target = first === -1 ? 0 : first;
    showErrors(errorsOfStep(found, steps[target]));
    goTo(target);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    if (found.length) return showStepErrors(found);
    setSending(true);
    setSubmitProblem(undefined);
    try {
      const data = visibleData(form, values);
      const done = await api<Submitted>('POST', '/api/applications', { procedure: procedure.key, data });
      discardDraft(localStorage, procedure.key);
      navigate(`/leistungen/${procedure.key}/eingegangen/${done.trackingCode}`);
    } catch (error) {
      const fieldErrors = error instanceof ApiError ? formErrorsOf(error.errors) : [];
      if (fieldErrors.length) showStepErrors(fieldErrors);
      else setSubmitProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSending(false);
    }
  };

  const discard = () => {
    discardDraft(localStorage, procedure.key);
    navigate(`/leistungen/${procedure.key}`);
  };

  return (
    <div className="kern-stack narrow">
      <p className="kern-body">
        <Link className="kern-link" to={`/leistungen/${procedure.key}`}>
          {procedure.title}
        </Link>
      </p>
      <div className="kern-progress">
        <label className="kern-label" htmlFor="antrag-fortschritt">
          {t('apply.progress', { step: index + 1, count: steps.length + 1 })}
        </label>
        <progress id="antrag-fortschritt" value={index + 1} max={steps.length + 1} />
      </div>
      <h1 className="kern-heading" ref={heading} tabIndex={-1}>
        {stepTitle}
      </h1>
      <ErrorSummary items={summary} />
      {draft && draft.version !== procedure.version && (
        <div className="kern-alert kern-alert--info">
          <div className="kern-alert__body">
            <p className="kern-body">{t('apply.formChanged')}</p>
          </div>
        </div>
      )}
      {checking ? (
        <form className="kern-stack" onSubmit={submit} noValidate>
          <p className="kern-body">{t('apply.checkIntro')}</p>
          <FormSummary
            form={form}
            values={values}
            changeLink={(group, title) => (
              <Link className="kern-link" to={`?schritt=${steps.indexOf(group) + 1}&zurueck=${CHECK}`}>
                {t('apply.change')}
                <span className="visually-hidden"> {title}</span>
              </Link>
            )}
          />
          {submitProblem && (
            <div className="kern-alert kern-alert--danger" role="alert">
              <div className="kern-alert__body">
                <p className="kern-body">{submitProblem}</p>
              </div>
            </div>
          )}
          <p className="kern-body">{t('apply.declaration')}</p>
          <div className="portal-actions">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={sending}>
              <span className="kern-label">{sending ? t('apply.sending') : t('apply.submit')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--secondary" onClick={() => goTo(steps.length - 1)}>
              <span className="kern-label">{t('apply.back')}</span>
            </button>
          </div>
        </form>
      ) : (
        <form className="kern-stack" onSubmit={next} noValidate>
          {step && form.properties[step]?.description && (
            <p className="kern-body">{form.properties[step]?.description}</p>
          )}
          <FormView form={form} values={values} onChange={change} errors={errors} idPrefix={ID_PREFIX} group={step} />
          <div className="portal-actions">
            <button type="submit" className="kern-btn kern-btn--primary">
              <span className="kern-label">{t('apply.next')}</span>
            </button>
            {index > 0 && (
              <button type="button" className="kern-btn kern-btn--secondary" onClick={() => goTo(index - 1)}>
                <span className="kern-label">{t('apply.back')}</span>
              </button>
            )}
          </div>
        </form>
      )}
      <p className="kern-hint">
        {stored ? t('apply.draftSaved') : t('apply.draftNotSaved')}{' '}
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={discard}>
          <span className="kern-label">{t('apply.discard')}</span>
        </button>
      </p>
    </div>
  );
}
