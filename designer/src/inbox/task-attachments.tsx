import { useTranslation } from 'react-i18next';
import { formatBytes, typeName } from '../forms/widgets.ts';
import type { TaskContext } from './inbox-api.ts';

/** The files of the application: view (images, PDF) in a new tab, or download. */
export function TaskAttachments({ taskId, attachments }: { taskId: string; attachments: TaskContext['attachments'] }) {
  const { t, i18n } = useTranslation('inbox');
  if (attachments.length === 0) return <p className="kern-body">{t('attachments.none')}</p>;
  return (
    <ul className="kern-list inbox-attachments">
      {attachments.map((a) => {
        const href = `/api/inbox/tasks/${taskId}/attachments/${a.path}`;
        const name = `${a.label} (${typeName(a.mediaType)}, ${formatBytes(a.bytes, i18n.language)})`;
        return (
          <li key={a.path}>
            <span className="kern-body">{name}</span>{' '}
            <a className="kern-link" href={href} target="_blank" rel="noopener">
              {t('attachments.view')}
              <span className="visually-hidden">: {a.label}</span>
            </a>{' '}
            <a className="kern-link" href={`${href}?download=true`} download>
              {t('attachments.download')}
              <span className="visually-hidden">: {a.label}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}
