import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { definitionSchema } from '../../../engine/definition/definition.schema.ts';
import { api } from '../app/api.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { Canvas } from './canvas.tsx';
import { compareDefinitions } from './compare.ts';
import { useEditorOutlet } from './editor-page.tsx';
import { SelectField } from './inspector-fields.tsx';
import { useVersions } from './modeler-api.ts';

const DRAFT = 'entwurf';

/** A published version's definition; nothing to fetch for the draft, which is the one being edited. */
function useVersionDefinition(key: string, version: string) {
  return useQuery({
    queryKey: ['designer', 'version', key, version],
    queryFn: async () =>
      definitionSchema.parse(await api<unknown>('GET', `/api/procedures/${key}/export?format=json&version=${version}`)),
    enabled: /^\d+$/.test(version),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** `/designer/:key/versionen`: the published versions, and two of them (or the draft) compared on the canvas. */
export function VersionsView() {
  const { t, i18n } = useTranslation('modeler');
  const { definition } = useEditorOutlet();
  usePageTitle(t('versions.pageTitle', { title: definition.title }));
  const versions = useVersions(definition.key);
  const list = versions.data ?? [];
  const latest = list.reduce((max, v) => Math.max(max, v.version), 0);
  const [before, setBefore] = useState('');
  const [after, setAfter] = useState(DRAFT);
  const beforeChoice = before || (latest ? String(latest) : '');
  const a = useVersionDefinition(definition.key, beforeChoice);
  const b = useVersionDefinition(definition.key, after);
  const left = beforeChoice === DRAFT ? definition : a.data;
  const right = after === DRAFT ? definition : b.data;
  const comparison = left && right ? compareDefinitions(left, right) : undefined;
  const dates = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const options = [
    { value: DRAFT, label: t('versions.draft') },
    ...list.map((v) => ({ value: String(v.version), label: t('list.version', { version: v.version }) })),
  ];

  return (
    <div className="vw-versions">
      <h2 className="kern-heading kern-heading-medium">{t('versions.title')}</h2>
      {list.length === 0 ? (
        <p className="kern-body">{t('versions.none')}</p>
      ) : (
        <table className="kern-table">
          <caption className="visually-hidden">{t('versions.caption')}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">
                {t('versions.version')}
              </th>
              <th scope="col" className="kern-table__header">
                {t('versions.publishedAt')}
              </th>
              <th scope="col" className="kern-table__header">
                {t('versions.publishedBy')}
              </th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {list.map((v) => (
              <tr key={v.version} className="kern-table__row">
                <th scope="row" className="kern-table__cell">
                  {t('list.version', { version: v.version })}
                </th>
                <td className="kern-table__cell">{dates.format(new Date(v.publishedAt))}</td>
                <td className="kern-table__cell">{v.publishedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="kern-heading kern-heading-small">{t('versions.compare')}</h3>
      <div className="vw-versions__pick">
        <SelectField
          id="vergleich-vorher"
          label={t('versions.before')}
          value={beforeChoice}
          options={options}
          onChange={setBefore}
        />
        <SelectField
          id="vergleich-nachher"
          label={t('versions.after')}
          value={after}
          options={options}
          onChange={setAfter}
        />
      </div>
      {comparison && (
        <div className="vw-versions__result">
          <section aria-labelledby="aenderungen-titel">
            <h4 id="aenderungen-titel" className="kern-heading kern-heading-small" aria-live="polite">
              {t('versions.changes', { count: comparison.items.length })}
            </h4>
            {comparison.items.length > 0 && (
              <ul className="vw-versions__items">
                {comparison.items.map((item) => (
                  <li
                    key={`${item.change}-${item.element}-${item.stateId}-${item.text}`}
                    className={`is-${item.change}`}
                  >
                    <span className="kern-badge">{t(`compare.${item.change}`)}</span> {t(`versions.${item.element}`)}:{' '}
                    {item.text}
                  </li>
                ))}
              </ul>
            )}
            <p className="kern-hint">{t('versions.legend')}</p>
          </section>
          <ReactFlowProvider>
            <Canvas definition={comparison.merged} marks={{ changes: comparison.marks }} />
          </ReactFlowProvider>
        </div>
      )}
    </div>
  );
}
