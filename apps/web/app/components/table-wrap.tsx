/**
 * A table's horizontal scroller for narrow screens. It is a focusable, named region so that keyboard users can
 * scroll it too (WCAG 2.1.1); `label` (the table's caption) names it, distinct from the section around it.
 */
export function TableWrap({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
