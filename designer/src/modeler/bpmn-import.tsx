import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { proceduresKey } from './modeler-api.ts';

type Imported = { key: string; warnings: { elementId?: string; message: string }[] };
type Failed = { title: string; lines: string[] };

/** Sends a BPMN 2.0 file to the import endpoint (XML body, session cookie); problems come back as values. */
async function importBpmnFile(xml: string): Promise<Imported | Failed> {
  const res = await fetch('/api/procedures/import', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/xml', accept: 'application/json' },
    body: xml,
  });
  const body = (await res.json()) as Imported & {
    title?: string;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
  if (res.ok) return body;
  return {
    title: [body.title, body.detail].filter(Boolean).join(': '),
    lines: (body.errors ?? []).map((e) => `${e.path}: ${e.message}`),
  };
}

/** "BPMN importieren": a file becomes a draft (warnings listed); errors name each element. */
export function BpmnImport() {
  const { t } = useTranslation('modeler');
  const client = useQueryClient();
  const file = useRef<HTMLInputElement>(null);
  const [outcome, setOutcome] = useState<Imported | Failed>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return setOutcome({ title: t('bpmn.noFile'), lines: [] });
    setBusy(true);
    try {
      const result = await importBpmnFile(await chosen.text());
      setOutcome(result);
      if ('key' in result) await client.invalidateQueries({ queryKey: proceduresKey });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="vw-new" aria-labelledby="bpmn-import-titel">
      <h2 id="bpmn-import-titel" className="kern-heading kern-heading-medium">
        {t('bpmn.importTitle')}
      </h2>
      <p className="kern-body">{t('bpmn.importIntro')}</p>
      <form onSubmit={submit}>
        <div className="kern-form-input">
          <label className="kern-label" htmlFor="bpmn-datei">
            {t('bpmn.file')}
          </label>
          <input
            ref={file}
            id="bpmn-datei"
            type="file"
            accept=".bpmn,.xml,application/xml,text/xml"
            className="kern-form-input__input"
          />
        </div>
        <button type="submit" className="kern-btn kern-btn--primary" disabled={busy}>
          <span className="kern-label">{t('bpmn.import')}</span>
        </button>
      </form>
      <div aria-live="polite">
        {outcome && 'key' in outcome && (
          <div className="kern-alert kern-alert--success">
            <div className="kern-alert__header">
              <p className="kern-title">{t('bpmn.imported', { key: outcome.key })}</p>
            </div>
            <div className="kern-alert__body">
              {outcome.warnings.length > 0 && (
                <>
                  <p className="kern-body">{t('bpmn.warnings', { count: outcome.warnings.length })}</p>
                  <ul className="kern-list">
                    {outcome.warnings.map((w) => (
                      <li key={`${w.elementId}-${w.message}`}>{w.message}</li>
                    ))}
                  </ul>
                </>
              )}
              <Link className="kern-link" to={`/designer/${outcome.key}`}>
                {t('bpmn.open')}
              </Link>
            </div>
          </div>
        )}
        {outcome && 'lines' in outcome && (
          <div className="kern-alert kern-alert--danger">
            <div className="kern-alert__header">
              <p className="kern-title">{outcome.title}</p>
            </div>
            {outcome.lines.length > 0 && (
              <div className="kern-alert__body">
                <ul className="kern-list">
                  {outcome.lines.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
