import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Issue } from './validate-form.ts';

/** Words a validation issue in the page's language (German as the server says it, English alike). */
export function useIssueMessage(): (issue: Issue) => string {
  const { t } = useTranslation('portal', { keyPrefix: 'form.issue' });
  return useCallback(
    (issue: Issue) => {
      switch (issue.keyword) {
        case 'type':
          return issue.type === 'integer' ? t('integer') : issue.type === 'number' ? t('number') : t('type');
        case 'minLength':
          return issue.limit === 1 ? t('required') : t('minLength', { limit: issue.limit });
        case 'format':
          return issue.format === 'date' ? t('date') : issue.format === 'email' ? t('email') : t('format');
        case 'additionalProperties':
          return t('additionalProperties', { property: issue.property });
        case 'minimum':
        case 'maximum':
        case 'maxLength':
        case 'minItems':
        case 'maxItems':
          return t(issue.keyword, { limit: issue.limit });
        default:
          return t(issue.keyword);
      }
    },
    [t],
  );
}
