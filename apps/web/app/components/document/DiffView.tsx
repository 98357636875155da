import { isAllowedLinkHref, type DiffBlock, type DiffRun } from '@sopu/doc-model';
import type { ReactNode } from 'react';
import { useT } from '../../hooks.ts';

/** A run's marks (`bold`, `italic`, `link:<href>`, … as the diff names them) around its text. */
function withMarks(text: ReactNode, marks: string[] | undefined): ReactNode {
  let out = text;
  for (const mark of marks ?? []) {
    if (mark === 'bold') out = <strong>{out}</strong>;
    else if (mark === 'italic') out = <em>{out}</em>;
    else if (mark === 'underline') out = <u>{out}</u>;
    else if (mark === 'strike') out = <s>{out}</s>;
    else if (mark === 'code') out = <code>{out}</code>;
    else if (mark.startsWith('link:')) {
      const href = mark.slice(5);
      // A link in a comparison is shown, not followed: its target is part of what changed.
      out = (
        <span className="diff-link" title={isAllowedLinkHref(href) ? href : undefined}>
          {out}
        </span>
      );
    }
  }
  return out;
}

/** Runs of one block: insertions and deletions marked, with words a screen reader says before each. */
export function Runs({ runs }: { runs: DiffRun[] }) {
  const { t } = useT();
  return (
    <>
      {runs.map((run, i) => {
        const content = withMarks(run.text.split('\n').flatMap((line, j) => (j === 0 ? [line] : [<br key={j} />, line])), run.marks);
        if (run.op === 'insert')
          return (
            <ins key={i}>
              <span className="visually-hidden">{t('compare.srInserted')} </span>
              {content}
            </ins>
          );
        if (run.op === 'delete')
          return (
            <del key={i}>
              <span className="visually-hidden">{t('compare.srDeleted')} </span>
              {content}
            </del>
          );
        return <span key={i}>{content}</span>;
      })}
    </>
  );
}

const depthClass = (depth: number | undefined) => (depth ? ` diff-depth-${Math.min(depth, 5)}` : '');

/** One block (not a table cell): a heading, paragraph, list item, code block or rule, with its op. */
function Block({ block }: { block: DiffBlock }) {
  const { t } = useT();
  const op = ` diff-block--${block.op}`;
  const quote = block.quote ? ' diff-quote' : '';
  if (block.kind === 'horizontalRule') return <hr className={`diff-block${op}`} />;
  const wholeLabel = block.op === 'insert' ? t('compare.blockInserted') : block.op === 'delete' ? t('compare.blockDeleted') : null;
  const label = wholeLabel ? <span className={`diff-tag diff-tag--${block.op}`}>{wholeLabel}</span> : null;
  if (block.kind === 'listItem' && block.list) {
    const start = typeof block.attrs?.start === 'number' ? block.attrs.start : 1;
    const marker = block.list.type === 'orderedList' ? `${start + block.list.index}.` : '•';
    return (
      <div className={`diff-block diff-li${op}${quote}${depthClass(block.list.depth)}`} data-op={block.op}>
        <span className="diff-li__marker" aria-hidden="true">
          {marker}
        </span>
        <span>
          {label}
          <Runs runs={block.runs} />
        </span>
      </div>
    );
  }
  if (block.kind === 'codeBlock')
    return (
      <pre className={`diff-block${op}${quote}`} data-op={block.op}>
        {label}
        <Runs runs={block.runs} />
      </pre>
    );
  return (
    <p className={`diff-block${block.kind === 'heading' ? ` diff-heading diff-heading-${block.level ?? 2}` : ''}${op}${quote}`} data-op={block.op}>
      {label}
      <Runs runs={block.runs} />
    </p>
  );
}

/** A table's cells, drawn row by row as they come (deleted rows as rows of their own). */
function DiffTable({ cells }: { cells: DiffBlock[] }) {
  const rows: DiffBlock[][] = [];
  let previous: { row: number; deleted: boolean } | null = null;
  for (const cell of cells) {
    const key = { row: cell.table?.row ?? 0, deleted: cell.op === 'delete' };
    if (!previous || previous.row !== key.row || previous.deleted !== key.deleted || (cell.table?.column ?? 0) === 0) rows.push([]);
    rows[rows.length - 1]!.push(cell);
    previous = key;
  }
  return (
    <div className="table-scroll">
      <table className="diff-table">
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className={row.every((c) => c.op === 'insert') ? 'diff-row--insert' : row.every((c) => c.op === 'delete') ? 'diff-row--delete' : undefined}>
              {row.map((cell, j) => {
                const Cell = cell.table?.header ? 'th' : 'td';
                return (
                  <Cell key={j} className={`diff-cell--${cell.op}`} {...(cell.table?.header ? { scope: 'col' } : {})}>
                    <Runs runs={cell.runs} />
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Chunk = { type: 'table'; cells: DiffBlock[] } | { type: 'block'; block: DiffBlock } | { type: 'fold'; blocks: DiffBlock[] };

/** Consecutive cells of one table become a table; long stretches of unchanged blocks fold, keeping one each side. */
function chunks(blocks: DiffBlock[]): Chunk[] {
  const out: Chunk[] = [];
  for (const block of blocks) {
    const last = out[out.length - 1];
    if (block.kind === 'tableCell' && last?.type === 'table' && last.cells[0]?.table?.index === block.table?.index) last.cells.push(block);
    else if (block.kind === 'tableCell') out.push({ type: 'table', cells: [block] });
    else out.push({ type: 'block', block });
  }
  const folded: Chunk[] = [];
  for (let i = 0; i < out.length; ) {
    let j = i;
    while (j < out.length && out[j]!.type === 'block' && (out[j] as { block: DiffBlock }).block.op === 'equal') j++;
    const run = j - i;
    if (run >= 4) {
      const keepHead = i === 0 ? 0 : 1;
      const keepTail = j === out.length ? 0 : 1;
      folded.push(...out.slice(i, i + keepHead));
      folded.push({ type: 'fold', blocks: out.slice(i + keepHead, j - keepTail).map((c) => (c as { block: DiffBlock }).block) });
      folded.push(...out.slice(j - keepTail, j));
      i = j;
    } else if (run > 0) {
      folded.push(...out.slice(i, j));
      i = j;
    } else {
      folded.push(out[i]!);
      i++;
    }
  }
  return folded;
}

/** A changed section's blocks: insertions and deletions marked, unchanged stretches folded. */
export function DiffBlocks({ blocks }: { blocks: DiffBlock[] }) {
  const { t } = useT();
  return (
    <div className="diff-body">
      {chunks(blocks).map((chunk, i) =>
        chunk.type === 'table' ? (
          <DiffTable key={i} cells={chunk.cells} />
        ) : chunk.type === 'fold' ? (
          <details key={i} className="diff-fold">
            <summary>{t('compare.unchangedBlocks', { count: chunk.blocks.length })}</summary>
            {chunk.blocks.map((block, j) => (
              <Block key={j} block={block} />
            ))}
          </details>
        ) : (
          <Block key={i} block={chunk.block} />
        ),
      )}
    </div>
  );
}
