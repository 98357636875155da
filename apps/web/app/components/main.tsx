/**
 * The page's main landmark, target of the skip link (focusable so that following the link moves focus too).
 * Every page shares the header's width so that edges line up; `wide` only adds a `main-wide` class for pages
 * (the editor) that style their own layout.
 */
export function Main({ children, wide = false }: { children: React.ReactNode; wide?: boolean }) {
  return (
    <main id="main" tabIndex={-1} className={wide ? 'container main main-wide' : 'container main'}>
      {children}
    </main>
  );
}
