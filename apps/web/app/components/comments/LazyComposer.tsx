import { lazy, Suspense, type ComponentProps } from 'react';
import { useT } from '../../hooks.ts';

const Lazy = lazy(() => import('./Composer.tsx').then((m) => ({ default: m.Composer })));

/**
 * The comment composer, loaded when someone first starts writing (a new thread, a reply, an edit): no page needs it
 * for its first paint. Until its chunk has come, a loading line where it will be.
 */
export function Composer(props: ComponentProps<typeof Lazy>) {
  const { t } = useT();
  return (
    <Suspense
      fallback={
        <p className="progress" role="status">
          <span className="spinner" aria-hidden="true" /> {t('app.loading')}
        </p>
      }
    >
      <Lazy {...props} />
    </Suspense>
  );
}
