import { isAllowedLinkHref, type DiffBlock, type DiffRun, type ProseMirrorJSON } from '@sopu/doc-model';
import type { Block, ListItem, Run, TableCell } from './model.ts';

/*
 * A section's canonical content (ProseMirror JSON of the editor's schema, decision 007) as the model's blocks, and a
 * section's word diff (decision 016) as a redline. Only the schema's nodes and marks are known; anything else is
 * read for its text, so that a version frozen under an older schema still exports whole.
 */

function runsOf(nodes: readonly ProseMirrorJSON[] | undefined): Run[] {
  const runs: Run[] = [];
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') {
      // A line break belongs to the text before it (renderers break lines inside a run, not between runs).
      const last = runs.at(-1);
      if (last) last.text += '\n';
      else runs.push({ text: '\n' });
      continue;
    }
    if (node.type !== 'text') {
      runs.push(...runsOf(node.content));
      continue;
    }
    if (!node.text) continue;
    const run: Run = { text: node.text };
    for (const mark of node.marks ?? []) {
      if (mark.type === 'bold') run.bold = true;
      else if (mark.type === 'italic') run.italic = true;
      else if (mark.type === 'underline') run.underline = true;
      else if (mark.type === 'strike') run.strike = true;
      else if (mark.type === 'code') run.code = true;
      else if (mark.type === 'link' && typeof mark.attrs?.href === 'string' && isAllowedLinkHref(mark.attrs.href)) run.link = mark.attrs.href;
    }
    runs.push(run);
  }
  return runs;
}

/** Headings inside a section sit below the section's own heading (level 1): 1–2 become 2, the rest 3. */
const subLevel = (level: unknown): 2 | 3 => (typeof level === 'number' && level <= 2 ? 2 : 3);

function blocksOf(nodes: readonly ProseMirrorJSON[] | undefined, quote: number): Block[] {
  const blocks: Block[] = [];
  for (const node of nodes ?? []) {
    switch (node.type) {
      case 'paragraph':
        blocks.push({ kind: 'paragraph', runs: runsOf(node.content), ...(quote > 0 ? { indent: quote } : {}) });
        break;
      case 'heading':
        blocks.push({ kind: 'heading', level: subLevel(node.attrs?.level), runs: runsOf(node.content) });
        break;
      case 'bulletList':
      case 'orderedList': {
        const start = typeof node.attrs?.start === 'number' && Number.isInteger(node.attrs.start) ? node.attrs.start : 1;
        const items: ListItem[] = (node.content ?? []).map((item) => ({ blocks: blocksOf(item.type === 'listItem' ? item.content : [item], quote) }));
        blocks.push({ kind: 'list', ordered: node.type === 'orderedList', start, items });
        break;
      }
      case 'blockquote':
        blocks.push(...blocksOf(node.content, quote + 1));
        break;
      case 'codeBlock':
        blocks.push({ kind: 'code', text: runsOf(node.content).map((r) => r.text).join('') });
        break;
      case 'horizontalRule':
        blocks.push({ kind: 'rule' });
        break;
      case 'table': {
        const rows: TableCell[][] = (node.content ?? []).map((row) =>
          (row.content ?? []).map((cell) => {
            const span = (name: string) => (typeof cell.attrs?.[name] === 'number' && (cell.attrs[name] as number) > 1 ? (cell.attrs[name] as number) : undefined);
            const colspan = span('colspan');
            const rowspan = span('rowspan');
            return { header: cell.type === 'tableHeader', blocks: blocksOf(cell.content, 0), ...(colspan ? { colspan } : {}), ...(rowspan ? { rowspan } : {}) };
          }),
        );
        if (rows.some((r) => r.length > 0)) blocks.push({ kind: 'table', rows: rows.filter((r) => r.length > 0) });
        break;
      }
      default: {
        const runs = runsOf([node]);
        if (runs.length > 0) blocks.push({ kind: 'paragraph', runs });
      }
    }
  }
  return blocks;
}

/** A section's content (the `doc` node of its canonical JSON) as blocks. */
export function contentBlocks(content: ProseMirrorJSON): Block[] {
  return blocksOf(content.content, 0);
}

function diffRun(run: DiffRun): Run {
  const out: Run = { text: run.text };
  for (const mark of run.marks ?? []) {
    if (mark === 'bold') out.bold = true;
    else if (mark === 'italic') out.italic = true;
    else if (mark === 'code') out.code = true;
    else if (mark.startsWith('link:') && isAllowedLinkHref(mark.slice(5))) out.link = mark.slice(5);
  }
  if (run.op === 'insert') {
    out.change = 'insert';
    out.underline = true;
  } else if (run.op === 'delete') {
    out.change = 'delete';
    out.strike = true;
  }
  return out;
}

/** A block of a redline read whole: its runs as they are, or all inserted / deleted when the block is. */
function redlineRuns(block: DiffBlock): Run[] {
  return block.runs.map((r) => diffRun(block.op === 'insert' ? { ...r, op: 'insert' } : block.op === 'delete' ? { ...r, op: 'delete' } : r));
}

/**
 * A changed section's word diff as readable blocks: insertions underlined, deletions struck through. List items keep
 * their mark ("•", "3."), table cells are gathered back into their tables (a deleted row as a row of its own).
 */
export function redlineBlocks(diffBlocks: readonly DiffBlock[]): Block[] {
  const blocks: Block[] = [];
  let table: { index: number; rows: Map<string, TableCell[]> } | null = null;
  const closeTable = () => {
    if (table) blocks.push({ kind: 'table', rows: [...table.rows.values()] });
    table = null;
  };
  for (const block of diffBlocks) {
    const runs = redlineRuns(block);
    if (block.kind === 'tableCell' && block.table) {
      if (!table || table.index !== block.table.index) {
        closeTable();
        table = { index: block.table.index, rows: new Map() };
      }
      const rowKey = `${block.op === 'delete' ? 'd' : ''}${block.table.row}`;
      const row = table.rows.get(rowKey) ?? [];
      row.push({ header: block.table.header, blocks: runs.length > 0 ? [{ kind: 'paragraph', runs }] : [] });
      table.rows.set(rowKey, row);
      continue;
    }
    closeTable();
    switch (block.kind) {
      case 'heading':
        blocks.push({ kind: 'heading', level: subLevel(block.level), runs });
        break;
      case 'listItem': {
        const list = block.list;
        const depth = list?.depth ?? 1;
        const mark = list?.type === 'orderedList' ? `${(list.index ?? 0) + 1}. ` : '• ';
        blocks.push({ kind: 'paragraph', runs: [{ text: mark }, ...runs], indent: depth });
        break;
      }
      case 'horizontalRule':
        blocks.push({ kind: 'rule' });
        break;
      default:
        blocks.push({ kind: 'paragraph', runs, ...(block.quote ? { indent: block.quote } : {}) });
    }
  }
  closeTable();
  return blocks;
}
