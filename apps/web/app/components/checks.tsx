import { Link } from '@remix-run/react';
import type { AreaCheck } from '@sopu/core';
import { useT } from '../hooks.ts';

const ORDER = { fail: 0, warning: 1, pass: 2 } as const;

/** How many checks fail and warn, for a heading or a summary line. */
export function checkCounts(checks: readonly Pick<AreaCheck, 'status'>[]): { fail: number; warning: number; pass: number } {
  return { fail: checks.filter((c) => c.status === 'fail').length, warning: checks.filter((c) => c.status === 'warning').length, pass: checks.filter((c) => c.status === 'pass').length };
}

/**
 * The checks the law implies, each in plain words with a link to the section of the agreement where it is fixed.
 * Failing ones first. Never legal advice: the panel says so.
 */
export function ChecksPanel({ checks, slug, headingLevel = 2, id = 'checks' }: { checks: AreaCheck[]; slug: string; headingLevel?: 2 | 3; id?: string }) {
  const { t, lang } = useT();
  const counts = checkCounts(checks);
  const sorted = [...checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="checks" aria-labelledby={`${id}-heading`} data-testid="checks">
      <Heading id={`${id}-heading`}>{t('checks.title')}</Heading>
      <p className="checks__summary">
        {counts.fail + counts.warning === 0 ? t('checks.allPass', { count: counts.pass }) : t('checks.summary', { fail: counts.fail, warning: counts.warning, pass: counts.pass })}
      </p>
      <ul className="checks__list">
        {sorted.map((c) => (
          <li key={c.id} className={`check check--${c.status}`} data-check={c.id}>
            <span className="check__status">{t(`checks.status.${c.status}`)}</span>
            <span className="check__message">{c.message[lang] || c.message.fi}</span>
            {c.section ? (
              <Link className="check__link" to={`/areas/${slug}/documents/${c.section.documentId}#section-${c.section.key}`}>
                {c.status === 'pass' ? t('checks.showIn') : t('checks.fixIn')}
              </Link>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="checks__note muted">{t('checks.notAdvice')}</p>
    </section>
  );
}

/**
 * The checks beside an agreement: folded into one line ("2 huomautusta") that opens to the list, each linking to
 * the section where it is fixed (on this page, an anchor).
 */
export function DocumentChecks({ checks, slug }: { checks: AreaCheck[]; slug: string }) {
  const { t } = useT();
  const counts = checkCounts(checks);
  const open = counts.fail > 0;
  return (
    <details className={`document-checks${counts.fail > 0 ? ' document-checks--fail' : counts.warning > 0 ? ' document-checks--warning' : ''}`} open={open}>
      <summary>{counts.fail + counts.warning === 0 ? t('checks.allPass', { count: counts.pass }) : t('checks.summary', { fail: counts.fail, warning: counts.warning, pass: counts.pass })}</summary>
      <ChecksPanel checks={checks} slug={slug} headingLevel={2} id="document-checks" />
    </details>
  );
}
