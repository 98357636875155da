// Version-diff benchmark: `node --import tsx tests/bench/diff.ts` (also the first part of `npm run bench`; alone:
// `npm run bench -- diff`). About 20 s; one process, no servers.
//
// Two versions of a full cooperation agreement built from the Kainuu-Koillismaa demo texts (db/seeds/demo-content.json),
// every section padded with the same area's texts to the issue's size (20 sections × 5+ blocks × ~60 words), the
// second version with seeded random edits to ~10% of the blocks. Times `diffDocuments` against baselines measured
// in the same run and interleaved with it, and does the same for the demo text at its own size and for two unrelated
// agreements (Finnish against Swedish: every section rewritten), the case the bounds are for.
//
// Knobs: BENCH_DIFF_RUNS (timed runs per case, default 300), BENCH_DIFF_SEED (default 2027), BENCH_DIFF_RATE (share
// of blocks edited, default 0.1).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { changedSectionKeys, diffDocuments, editScript, sectionHash, type CanonicalDocument, type DocumentDiff, type ProseMirrorJSON } from '@sopu/doc-model';
import { ms, summarise, table } from './common.ts';
import { rng } from './typing.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const RUNS = Number(process.env.BENCH_DIFF_RUNS ?? 300);
const SEED = Number(process.env.BENCH_DIFF_SEED ?? 2027);
const RATE = Number(process.env.BENCH_DIFF_RATE ?? 0.1);
const WARMUP = 30;
const GOAL_MS = 50;
/** A step slower than this in total (warm-up and timed runs apart) stops after MIN_SAMPLES runs: the unbounded character diff of unrelated texts. */
const STEP_BUDGET_MS = 3000;
const MIN_SAMPLES = 5;
const TARGET = { blocks: 5, words: 60 };

// ---------------------------------------------------------------------------------------------------------------
// The agreements: a small model of blocks, so that edits are easy to make, rendered to canonical ProseMirror JSON.

type SeedBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: number; text: string }
  | { type: 'bulletList' | 'orderedList'; items: string[] }
  | { type: 'table'; rows: string[][]; header?: boolean };

type Block =
  | { type: 'paragraph'; words: string[]; bold: number[] }
  | { type: 'heading'; level: number; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'table'; rows: string[][] };

interface Agreement {
  sections: Array<{ key: string; status: 'drafting' | 'agreed' | 'not_applicable'; reason: string; blocks: Block[] }>;
}

const seedFile = JSON.parse(readFileSync(join(HERE, '../../db/seeds/demo-content.json'), 'utf8')) as {
  areas: Record<string, { cooperation_agreement: Record<string, SeedBlock[]>; administrative_rules: Record<string, SeedBlock[]> }>;
};

const words = (text: string) => text.split(' ').filter((w) => w !== '');
const countWords = (blocks: Block[]) =>
  blocks.reduce((n, b) => n + (b.type === 'paragraph' ? b.words.length : b.type === 'heading' ? words(b.text).length : b.type === 'list' ? b.items.flatMap(words).length : b.rows.flat().flatMap(words).length), 0);

function fromSeed(block: SeedBlock): Block {
  switch (block.type) {
    case 'paragraph':
      return { type: 'paragraph', words: words(block.text), bold: [] };
    case 'heading':
      return { type: 'heading', level: block.level, text: block.text };
    case 'bulletList':
    case 'orderedList':
      return { type: 'list', ordered: block.type === 'orderedList', items: [...block.items] };
    case 'table':
      return { type: 'table', rows: block.rows.map((r) => [...r]) };
  }
}

/** An area's cooperation agreement; with `pad`, each section filled up with paragraphs of the area's other texts. */
function agreementOf(area: string, pad: boolean, random: () => number): Agreement {
  const content = seedFile.areas[area]!;
  const pool = [...Object.values(content.cooperation_agreement), ...Object.values(content.administrative_rules)]
    .flat()
    .filter((b): b is Extract<SeedBlock, { type: 'paragraph' }> => b.type === 'paragraph')
    .map((b) => b.text);
  const sections = Object.entries(content.cooperation_agreement).map(([key, seedBlocks]) => {
    const blocks = seedBlocks.map(fromSeed);
    const paragraphs = () => blocks.filter((b) => b.type === 'paragraph').length;
    while (pad && (paragraphs() < TARGET.blocks || countWords(blocks) < TARGET.blocks * TARGET.words)) {
      const text: string[] = [];
      while (text.length < TARGET.words) text.push(...words(pool[Math.floor(random() * pool.length)]!));
      blocks.push({ type: 'paragraph', words: text, bold: [] });
    }
    // Some formatting, as drafters use it: a bold word in about one paragraph in five.
    for (const b of blocks) if (b.type === 'paragraph' && random() < 0.2) b.bold.push(Math.floor(random() * b.words.length));
    return { key, status: 'drafting' as const, reason: '', blocks };
  });
  return { sections };
}

const textNode = (text: string, bold: boolean): ProseMirrorJSON => (bold ? { type: 'text', text, marks: [{ type: 'bold' }] } : { type: 'text', text });
const paragraphJson = (text: string): ProseMirrorJSON => (text === '' ? { type: 'paragraph' } : { type: 'paragraph', content: [{ type: 'text', text }] });

function blockJson(block: Block): ProseMirrorJSON {
  switch (block.type) {
    case 'paragraph': {
      const content: ProseMirrorJSON[] = [];
      let run = '';
      let runBold = false;
      block.words.forEach((word, i) => {
        const bold = block.bold.includes(i);
        const space = i === 0 ? '' : ' ';
        if (i > 0 && bold === runBold) run += space + word;
        else {
          if (run !== '') content.push(textNode(run, runBold));
          // The space before a bold word stays plain, as a drafter selecting the word leaves it.
          run = bold ? word : space + word;
          if (bold && space) content.push(textNode(space, false));
          runBold = bold;
        }
      });
      if (run !== '') content.push(textNode(run, runBold));
      return content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' };
    }
    case 'heading':
      return { type: 'heading', attrs: { level: block.level }, content: [{ type: 'text', text: block.text }] };
    case 'list':
      return { type: block.ordered ? 'orderedList' : 'bulletList', content: block.items.map((item) => ({ type: 'listItem', content: [paragraphJson(item)] })) };
    case 'table':
      return {
        type: 'table',
        content: block.rows.map((row, r) => ({
          type: 'tableRow',
          content: row.map((cell) => ({ type: r === 0 ? 'tableHeader' : 'tableCell', attrs: { colspan: 1, rowspan: 1, colwidth: null, align: null }, content: [paragraphJson(cell)] })),
        })),
      };
  }
}

function canonical(agreement: Agreement): CanonicalDocument {
  return {
    layout: 1,
    sections: agreement.sections.map((s, order) => ({
      key: s.key,
      order,
      status: s.status,
      reason: s.reason,
      content: s.blocks.length > 0 ? { type: 'doc', content: s.blocks.map(blockJson) } : { type: 'doc' },
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Edits

interface EditCounts {
  [kind: string]: number;
}

/** A copy of the agreement with about `rate` of its blocks edited, the way drafters edit: mostly words, some blocks. */
function edited(base: Agreement, rate: number, random: () => number): { agreement: Agreement; counts: EditCounts; blocks: number } {
  const agreement = structuredClone(base);
  const vocabulary = agreement.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'paragraph' ? b.words : [])));
  const word = () => vocabulary[Math.floor(random() * vocabulary.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  const counts: EditCounts = {};
  const count = (kind: string) => (counts[kind] = (counts[kind] ?? 0) + 1);
  // Exactly round(rate × blocks) blocks, chosen at random, so that every seed edits the same share.
  const all = agreement.sections.flatMap((section) => section.blocks.map((block) => ({ section, block })));
  const blocks = all.length;
  const chosen = new Set<Block>();
  while (chosen.size < Math.max(1, Math.round(rate * blocks))) chosen.add(all[int(blocks)]!.block);
  for (const { section, block } of all) {
    if (!chosen.has(block)) continue;
    const at = section.blocks.indexOf(block);
    const roll = random();
    if (block.type === 'table') {
      if (roll < 0.7) {
        const row = block.rows[1 + int(block.rows.length - 1)]!;
        row[int(row.length)] = `${int(50_000).toLocaleString('fi-FI')}`;
        count('table cell changed');
      } else {
        block.rows.splice(1 + int(block.rows.length - 1), 0, block.rows[0]!.map(() => word()));
        count('table row added');
      }
    } else if (block.type === 'list') {
      if (roll < 0.6) {
        const i = int(block.items.length);
        block.items[i] = `${block.items[i]} ${word()}`;
        count('list item changed');
      } else {
        block.items.splice(int(block.items.length + 1), 0, [word(), word(), word()].join(' '));
        count('list item added');
      }
    } else if (block.type === 'paragraph') {
      if (roll < 0.68) {
        // Word edits come in small bunches: a clause reworded, a figure and its unit changed.
        for (let k = 1 + int(3); k > 0; k--) {
          const n = block.words.length;
          const what = random();
          if (what < 0.45) {
            block.words[int(n)] = word();
            count('word replaced');
          } else if (what < 0.65) {
            const [i, k] = [int(n + 1), 1 + int(3)];
            block.words.splice(i, 0, ...Array.from({ length: k }, word));
            block.bold = block.bold.map((b) => (b >= i ? b + k : b));
            count('words inserted');
          } else if (what < 0.85) {
            const [i, k] = [int(n), 1 + int(3)];
            block.words.splice(i, k);
            block.bold = block.bold.filter((b) => b < i || b >= i + k).map((b) => (b >= i + k ? b - k : b));
            count('words deleted');
          } else {
            block.bold = [...block.bold, int(n)];
            count('word made bold');
          }
        }
      } else if (roll < 0.78) {
        section.blocks.splice(at + 1, 0, { type: 'paragraph', words: Array.from({ length: TARGET.words }, word), bold: [] });
        count('paragraph inserted');
      } else if (roll < 0.86) {
        section.blocks.splice(at, 1);
        count('paragraph deleted');
      } else if (roll < 0.94) {
        section.blocks.splice(at, 1);
        section.blocks.splice(int(section.blocks.length + 1), 0, block);
        count('paragraph moved');
      } else {
        const cut = 1 + int(Math.max(1, block.words.length - 1));
        section.blocks.splice(at, 1, { type: 'paragraph', words: block.words.slice(0, cut), bold: [] }, { type: 'paragraph', words: block.words.slice(cut), bold: [] });
        count('paragraph split');
      }
    }
  }
  const target = agreement.sections[int(agreement.sections.length)]!;
  target.status = 'not_applicable';
  target.reason = 'Ei koske tätä työllisyysaluetta.';
  count('status changed');
  return { agreement, counts, blocks };
}

// ---------------------------------------------------------------------------------------------------------------
// What is timed

/** Plain text of every block, one string per section: the input of the character-level baseline. */
function sectionTexts(doc: CanonicalDocument): Map<string, string> {
  const out = new Map<string, string>();
  const collect = (node: ProseMirrorJSON, into: string[]) => {
    if (node.text !== undefined) into.push(node.text);
    else if (node.type === 'paragraph' || node.type === 'heading') {
      for (const child of node.content ?? []) collect(child, into);
      into.push('\n');
    } else for (const child of node.content ?? []) collect(child, into);
  };
  for (const s of doc.sections) {
    const into: string[] = [];
    collect(s.content, into);
    out.set(s.key, into.join(''));
  }
  return out;
}

/** diffDocuments' time over a baseline's: "2.50×" when slower, "1/40" when 40 times faster. */
const versus = (diff: number, baseline: number) => (diff / baseline >= 0.1 ? `${(diff / baseline).toFixed(2)}×` : `1/${Math.round(baseline / diff)}`);
const baselineCell = (diff: number, samples: number[], digits = 2) => {
  const b = summarise(samples);
  return `${ms(b.p50, digits)} (${versus(diff, b.p50)}${samples.length < RUNS ? `; ${samples.length} runs` : ''})`;
};

const codes = (text: string) => Uint16Array.from(text, (c) => c.charCodeAt(0));

interface Case {
  name: string;
  from: CanonicalDocument;
  to: CanonicalDocument;
  note: string;
}

interface Timings {
  diff: number[];
  stringify: number[];
  hashes: number[];
  characters: number[];
}

const baselines = {
  /** Are the two versions different at all: the floor. */
  stringify: (c: Case) => JSON.stringify(c.from) === JSON.stringify(c.to),
  /** Which sections differ, by sectionHash of every section: what an approvals page needs at the least. */
  hashes: (c: Case) => {
    const before = new Map(c.from.sections.map((s) => [s.key, sectionHash(s)]));
    return c.to.sections.filter((s) => before.get(s.key) !== sectionHash(s)).length;
  },
  /** A naive full-text diff: an unbounded character-level shortest edit script of every section's plain text. */
  characters: (c: Case) => {
    const before = sectionTexts(c.from);
    let edits = 0;
    for (const [key, text] of sectionTexts(c.to)) {
      const a = codes(before.get(key) ?? '');
      const b = codes(text);
      edits += editScript(a, b, a.length + b.length)!.length;
    }
    return edits;
  },
};

function measure(c: Case): Timings {
  const t: Timings = { diff: [], stringify: [], hashes: [], characters: [] };
  const steps: Array<[keyof Timings, () => unknown]> = [
    ['diff', () => diffDocuments(c.from, c.to)],
    ['stringify', () => baselines.stringify(c)],
    ['hashes', () => baselines.hashes(c)],
    ['characters', () => baselines.characters(c)],
  ];
  let sink = 0;
  const spent: Record<string, number> = {};
  for (let round = 0; round < WARMUP + RUNS; round++) {
    // Rotating the order spreads garbage collection and other processes' bursts over all four alike.
    for (let k = 0; k < steps.length; k++) {
      const [name, fn] = steps[(round + k) % steps.length]!;
      const phase = round < WARMUP ? `warm-up ${name}` : name;
      if ((spent[phase] ?? 0) > STEP_BUDGET_MS && t[name].length >= (round < WARMUP ? 0 : MIN_SAMPLES)) continue;
      const start = performance.now();
      const result = fn();
      const elapsed = performance.now() - start;
      spent[phase] = (spent[phase] ?? 0) + elapsed;
      sink += result ? 1 : 0;
      if (round >= WARMUP) t[name].push(elapsed);
    }
  }
  if (sink < 0) console.log(sink);
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks: a fast diff that is wrong would be no result.

function check(c: Case, diff: DocumentDiff, problems: string[]) {
  const before = new Map(c.from.sections.map((s) => [s.key, sectionHash(s)]));
  const byHash = c.to.sections.filter((s) => before.get(s.key) !== sectionHash(s)).map((s) => s.key);
  if (changedSectionKeys(diff).join() !== byHash.join()) problems.push(`${c.name}: changed sections ${changedSectionKeys(diff).join()} but by hash ${byHash.join()}`);
  const texts = { from: sectionTexts(c.from), to: sectionTexts(c.to) };
  for (const s of diff.sections) {
    if (!s.blocks) continue;
    for (const which of ['from', 'to'] as const) {
      const skip = which === 'from' ? 'insert' : 'delete';
      const flat = s.blocks
        .filter((b) => b.op !== skip)
        .map((b) => b.runs.filter((r) => r.op !== skip).map((r) => r.text).join(''))
        .join('\n');
      const expected = (texts[which].get(s.key) ?? '').replace(/\n$/, '');
      if (flat !== expected) problems.push(`${c.name}: section ${s.key} does not read as its "${which}" version`);
    }
  }
}

function describe(diff: DocumentDiff) {
  let inserted = 0;
  let deleted = 0;
  let blocks = 0;
  for (const s of diff.sections) {
    for (const b of s.blocks ?? []) {
      if (b.op !== 'equal') blocks++;
      for (const r of b.runs) {
        const n = r.text.split(/\s+/).filter((w) => w !== '').length;
        if (r.op === 'insert') inserted += n;
        if (r.op === 'delete') deleted += n;
      }
    }
  }
  return { sections: changedSectionKeys(diff).length, blocks, inserted, deleted };
}

const totalWords = (doc: CanonicalDocument) =>
  [...sectionTexts(doc).values()].reduce((n, t) => n + t.split(/\s+/).filter((w) => w !== '').length, 0);

// ---------------------------------------------------------------------------------------------------------------
// Main

const startedAt = performance.now();
const random = rng(SEED);
const full = agreementOf('kainuu-koillismaa', true, random);
const fullEdit = edited(full, RATE, random);
const demo = agreementOf('kainuu-koillismaa', false, random);
const demoEdit = edited(demo, RATE, random);
const swedish = agreementOf('saaristo-skargard', true, random);
const cases: Case[] = [
  {
    name: 'full agreement, ~10% of blocks edited',
    from: canonical(full),
    to: canonical(fullEdit.agreement),
    note: Object.entries(fullEdit.counts)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', '),
  },
  { name: 'demo text at its own size, ~10% edited', from: canonical(demo), to: canonical(demoEdit.agreement), note: `${Object.values(demoEdit.counts).reduce((a, b) => a + b, 0)} edits` },
  { name: 'unrelated: Kainuu (fi) against Saaristo (sv), every section rewritten', from: canonical(full), to: canonical(swedish), note: 'the case the bounds are for' },
];

const problems: string[] = [];
const rows: string[][] = [];
const results: Array<{ name: string; timings: Timings }> = [];
for (const c of cases) {
  const diff = diffDocuments(c.from, c.to);
  check(c, diff, problems);
  const d = describe(diff);
  console.error(`[bench] ${c.name}: ${RUNS} runs …`);
  const timings = measure(c);
  results.push({ name: c.name, timings });
  const s = summarise(timings.diff);
  rows.push([
    c.name,
    `${c.from.sections.length} sections, ${totalWords(c.from).toLocaleString('en')} → ${totalWords(c.to).toLocaleString('en')} words`,
    `${d.sections} of ${c.to.sections.length} sections, ${d.blocks} blocks, −${d.deleted}/+${d.inserted} words`,
    `**${ms(s.p50)}**`,
    `**${ms(s.p99)}**`,
    ms(s.max),
    baselineCell(s.p50, timings.stringify, 3),
    baselineCell(s.p50, timings.hashes),
    baselineCell(s.p50, timings.characters),
  ]);
}

const out: string[] = [];
const cpu = cpus();
out.push(`## Version diff benchmark — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
out.push('');
out.push(
  `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}. Command: \`node --import tsx tests/bench/diff.ts\`. Seed ${SEED}, ` +
    `edit rate ${RATE}, ${RUNS} timed runs per case after ${WARMUP} warm-up runs; diff and baselines interleaved in rotating order in one process.`,
);
out.push('');
out.push(
  `Texts: the Kainuu-Koillismaa cooperation agreement of db/seeds/demo-content.json; "full" pads every section with paragraphs of ~${TARGET.words} words ` +
    `made of the same area's texts to at least ${TARGET.blocks} paragraphs and ${TARGET.blocks * TARGET.words} words (tables and lists kept), as the issue sizes an agreement. ` +
    `Edits in the full case: ${cases[0]!.note}.`,
);
out.push('');
out.push('Times in ms per comparison of two whole documents; in brackets, `diffDocuments` p50 against the baseline\'s p50 ("2.00×": twice the baseline\'s time; "1/10": a tenth of it).');
out.push('');
out.push(
  table(
    ['case', 'size', 'diff found', 'diffDocuments p50', 'p99', 'max', 'baseline: JSON.stringify both, compare', 'baseline: sectionHash of every section', 'baseline: character diff of every section (unbounded)'],
    rows,
  ),
);
out.push('');
const realistic = summarise(results[0]!.timings.diff);
const worst = summarise(results[2]!.timings.diff);
out.push('### Goals');
out.push('');
out.push(
  table(
    ['goal', 'measured', 'verdict'],
    [
      [`diff of two full agreements ≤ ${GOAL_MS} ms`, `p99 ${ms(realistic.p99)} ms (p50 ${ms(realistic.p50)} ms)`, realistic.p99 <= GOAL_MS ? 'met' : '**missed**'],
      [`(bound) two unrelated full agreements ≤ ${GOAL_MS} ms`, `p99 ${ms(worst.p99)} ms (p50 ${ms(worst.p50)} ms)`, worst.p99 <= GOAL_MS ? 'met' : '**missed**'],
    ],
  ),
);
out.push('');
out.push('Each case is also checked once: the sections the diff calls changed are exactly those whose `sectionHash` differs, and every block reads as its old text from equal + deleted runs and as its new text from equal + inserted runs.');
if (problems.length > 0) {
  out.push('');
  out.push('**Problems:**');
  for (const p of problems) out.push(`- ${p}`);
}

const report = out.join('\n') + '\n';
process.stdout.write(report);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'diff-latest.md'), report);
writeFileSync(join(RESULTS, 'diff-latest.json'), JSON.stringify({ seed: SEED, rate: RATE, runs: RUNS, results, problems }, null, 1));
console.error(`[bench] wrote ${relative(process.cwd(), join(RESULTS, 'diff-latest.md'))} in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
process.exit(problems.length > 0 ? 1 : 0);
