import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/diagram-js.css';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../common/use-page-title.ts';
import { useEditorOutlet } from './editor-page.tsx';

/**
 * `/designer/:key/bpmn`: the saved draft as BPMN 2.0 (the server's export, with diagram layout), shown with
 * the bpmn-js viewer (its bpmn.io watermark stays: licence) and offered for download.
 */
export function BpmnView() {
  const { t } = useTranslation('modeler');
  const { definition } = useEditorOutlet();
  usePageTitle(t('bpmn.pageTitle', { title: definition.title }));
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const [shown, setShown] = useState(false);
  const exportUrl = `/api/procedures/${definition.key}/export?format=bpmn`;

  useEffect(() => {
    if (!host.current) return;
    const viewer = new NavigatedViewer({ container: host.current });
    let cancelled = false;
    (async () => {
      try {
        const res = await fetch(exportUrl, { credentials: 'same-origin' });
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        await viewer.importXML(await res.text());
        if (cancelled) return;
        (viewer.get('canvas') as { zoom(level: string): void }).zoom('fit-viewport');
        setShown(true);
      } catch (failure) {
        if (!cancelled) setError(failure instanceof Error ? failure.message : String(failure));
      }
    })();
    return () => {
      cancelled = true;
      viewer.destroy();
    };
  }, [exportUrl]);

  return (
    <div className="vw-bpmn">
      <h2 className="kern-heading kern-heading-medium">{t('bpmn.title')}</h2>
      <p className="kern-body">{t('bpmn.intro')}</p>
      <p>
        <a className="kern-link" href={exportUrl} download={`${definition.key}.bpmn`}>
          {t('bpmn.download')}
        </a>
      </p>
      <div aria-live="polite">
        {error && (
          <div className="kern-alert kern-alert--danger">
            <div className="kern-alert__body">
              <p className="kern-body">{t('bpmn.failed', { message: error })}</p>
            </div>
          </div>
        )}
        {shown && <p className="visually-hidden">{t('bpmn.shown')}</p>}
      </div>
      <figure className="vw-bpmn__figure">
        <div ref={host} className="vw-bpmn__canvas" />
        <figcaption className="kern-hint">{t('bpmn.diagram', { title: definition.title })}</figcaption>
      </figure>
    </div>
  );
}
