/** The page's main landmark, target of the skip link (focusable so that following the link moves focus too). */
export function Main({ children, wide = false }: { children: React.ReactNode; wide?: boolean }) {
  return (
    <main id="main" tabIndex={-1} className={wide ? 'container main wide' : 'container main'}>
      {children}
    </main>
  );
}
