import { useFetcher } from '@remix-run/react';
import type { DocumentLanguage, DocumentLanguages } from '@sopu/doc-model';
import type { FormErrors } from '../../form-errors.ts';
import { useT } from '../../hooks.ts';
import { ErrorSummary } from '../form.tsx';

/**
 * Above a document: that it is bilingual and how many sections need their translation checked, or, for the host
 * admin of an area with a Swedish-speaking or bilingual municipality, the button that makes it bilingual (decision 026).
 */
export function BilingualPanel({ documentLanguage, languages, canMake, needsTranslation }: { documentLanguage: DocumentLanguage; languages: DocumentLanguages | null; canMake: boolean; needsTranslation: number }) {
  const { t } = useT();
  const fetcher = useFetcher<{ ok: boolean; errors?: FormErrors }>({ key: 'make-bilingual' });
  if (languages) {
    return (
      <p className="notice notice--info bilingual-notice" data-testid="bilingual-notice">
        {t('bilingual.isBilingual', { main: t(`bilingual.languageName.${languages.main}`), parallel: t(`bilingual.languageName.${languages.parallel}`) })}{' '}
        {needsTranslation > 0 ? <strong>{t('bilingual.needsTranslation', { count: needsTranslation })}</strong> : t('bilingual.allInLine')}
      </p>
    );
  }
  if (!canMake) return null;
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : undefined;
  return (
    <section className="bilingual-make" aria-labelledby="bilingual-make-heading">
      <h2 id="bilingual-make-heading">{t('bilingual.makeHeading')}</h2>
      <p>{t('bilingual.makeIntro', { language: t(`bilingual.languageAdjective.${documentLanguage}`) })}</p>
      <ErrorSummary errors={errors} idPrefix="bilingual-" labels={{}} />
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="make-bilingual" />
        <button type="submit" className="button" disabled={fetcher.state !== 'idle'}>
          {fetcher.state !== 'idle' ? t('bilingual.making') : t('bilingual.make')}
        </button>
      </fetcher.Form>
    </section>
  );
}

/** On a narrow screen a bilingual document shows one language at a time: this picks which. */
export function LanguageSwitch({ languages, shown, onShow }: { languages: DocumentLanguages; shown: DocumentLanguage; onShow: (lang: DocumentLanguage) => void }) {
  const { t } = useT();
  return (
    <div className="language-switch" role="group" aria-label={t('bilingual.switchLabel')}>
      {[languages.main, languages.parallel].map((lang) => (
        <button key={lang} type="button" className="language-switch__button" aria-pressed={lang === shown} lang={lang} onClick={() => onShow(lang)}>
          {t(`bilingual.in.${lang}`)}
        </button>
      ))}
    </div>
  );
}
