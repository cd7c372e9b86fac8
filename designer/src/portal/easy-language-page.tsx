import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../common/use-page-title.ts';

const SECTIONS = ['what', 'find', 'apply', 'pay', 'status', 'help'] as const;

/** `/leichte-sprache`: the portal explained in Leichte Sprache (short sentences, one thought per line). */
export function EasyLanguagePage() {
  const { t } = useTranslation('portal', { keyPrefix: 'easy' });
  usePageTitle(t('title'));
  return (
    <div className="kern-stack narrow easy-language">
      <h1 className="kern-heading">{t('title')}</h1>
      {SECTIONS.map((section) => (
        <section key={section} className="kern-stack" aria-labelledby={`leicht-${section}`}>
          <h2 className="kern-heading" id={`leicht-${section}`}>
            {t(`${section}.title`)}
          </h2>
          {t(`${section}.text`)
            .split('\n')
            .map((line) => (
              <p key={line} className="kern-body kern-body--large">
                {line}
              </p>
            ))}
        </section>
      ))}
      <p className="kern-body kern-body--large">
        <Link className="kern-link" to="/">
          {t('start')}
        </Link>
      </p>
    </div>
  );
}
