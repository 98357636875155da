import { z } from 'zod';

/*
 * Every piece of text a person types into Sopu (a comment, a version's label, a key fact, a name, a council's
 * minutes section, a statement…) is read through one of the schemas below, so that it is cleaned the same way
 * everywhere before it is checked, stored, shown, mailed or exported:
 *
 * - line breaks: CRLF, CR and the Unicode line and paragraph separators become LF (one-line text: a space);
 * - control characters (C0 but tab and LF, DEL, C1) are dropped, and so are lone surrogate halves;
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are kept only in matched pairs
 *   within a line, so a comment in Arabic or Hebrew may use them but cannot reverse what follows it; in names they
 *   are refused outright (a name is short and plain, and a reversed name is how one impersonates another);
 * - surrounding whitespace is trimmed (one-line text: every run of whitespace becomes one space).
 *
 * What is empty after cleaning fails "required" (zod's too_small), so ten NULs are no label. docs/decisions/015.
 */

const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** LRE RLE PDF LRO RLO, LRI RLI FSI PDI. */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

const PDF = '\u202c';
const PDI = '\u2069';
const isEmbedding = (c: string) => c === '\u202a' || c === '\u202b' || c === '\u202d' || c === '\u202e';
const isIsolate = (c: string) => c === '\u2066' || c === '\u2067' || c === '\u2068';

/**
 * One line with only matched bidi controls: a PDF closes the innermost open embedding or override, a PDI the
 * innermost open isolate (and whatever embeddings were opened inside it); openers left open at the end of the line,
 * closers with nothing to close and the embeddings a PDI cut short are dropped.
 */
function balanceBidiLine(line: string): string {
  if (!BIDI_CONTROLS.test(line)) return line;
  const chars = Array.from(line);
  const drop = new Set<number>();
  const open: number[] = [];
  chars.forEach((c, i) => {
    if (isEmbedding(c) || isIsolate(c)) open.push(i);
    else if (c === PDF) {
      if (open.length > 0 && isEmbedding(chars[open.at(-1)!]!)) open.pop();
      else drop.add(i);
    } else if (c === PDI) {
      const isolate = open.findLastIndex((at) => isIsolate(chars[at]!));
      if (isolate < 0) drop.add(i);
      else for (const at of open.splice(isolate).slice(1)) drop.add(at);
    }
  });
  for (const at of open) drop.add(at);
  return chars.filter((_, i) => !drop.has(i)).join('');
}

/** Drops every bidi control that is not one of a matched pair on its line. */
export function balanceBidi(text: string): string {
  return BIDI_CONTROLS.test(text) ? text.split('\n').map(balanceBidiLine).join('\n') : text;
}

/** The cleaning above, as a plain function (for text that does not come through a schema, e.g. a stored value shown again). */
export function cleanText(text: string, options: { multiline?: boolean } = {}): string {
  const lines = text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(CONTROLS, '').replace(LONE_SURROGATES, '');
  if (options.multiline) return balanceBidi(lines).trim();
  return balanceBidi(lines.replace(/\s+/g, ' ')).trim();
}

export interface UserTextOptions {
  /** At most this many characters (UTF-16 code units) once cleaned. */
  max: number;
  /** At least this many once cleaned: 1 (the default) makes the text required; 0 lets it be empty. */
  min?: number;
  /** Keeps line breaks and tabs (comments, statements, notes); without it the text is one line (labels, names). */
  multiline?: boolean;
}

/** The "required" message of every user text: what was sent may not look empty, but nothing was left of it. */
export const REQUIRED_MESSAGE = 'required: nothing is left once control characters and surrounding spaces are removed';

/** A bound on what is read at all, before cleaning: generous, so cleaning never cuts what a person meant. */
const rawBound = (max: number) => max * 4 + 1000;

/** User text: cleaned as described above, then held to its bounds (`too_small` is "required"). */
export function userText(options: UserTextOptions) {
  const min = options.min ?? 1;
  return z
    .string()
    .max(rawBound(options.max))
    .transform((s) => cleanText(s, { multiline: options.multiline ?? false }))
    .pipe(z.string().min(min, min === 1 ? REQUIRED_MESSAGE : `at least ${min} characters`).max(options.max));
}

/**
 * A name (a person's display name, an area's or a municipality's): one line of user text, with no bidi controls at
 * all; refused, not stripped, so the person sees why.
 */
export function nameText(max = 120) {
  return z
    .string()
    .max(rawBound(max))
    .refine((s) => !BIDI_CONTROLS.test(s), 'a name may not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)')
    .transform((s) => cleanText(s))
    .pipe(z.string().min(1, REQUIRED_MESSAGE).max(max));
}

/** An optional name (may be left empty). */
export function optionalNameText(max = 120) {
  return z
    .string()
    .max(rawBound(max))
    .refine((s) => !BIDI_CONTROLS.test(s), 'a name may not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)')
    .transform((s) => cleanText(s))
    .pipe(z.string().max(max));
}

/** Characters that draw nothing (zero-width spaces and joiners, soft hyphens, BOMs…): ignored when names are compared. */
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu;

/**
 * The form under which two display names count as the same: Unicode compatibility-normalised (NFKC), case-folded,
 * invisible characters dropped and whitespace collapsed. "Matti  MEIKÄLÄINEN", "matti meika\u0308la\u0308inen" and
 * "Ｍａｔｔｉ Meikäläinen" all give "matti meikäläinen".
 */
export function nameKey(name: string): string {
  const folded = name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
  return folded.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}
