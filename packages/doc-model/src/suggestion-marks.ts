import { Mark } from '@tiptap/core';

/**
 * Suggested changes are marks in a section's text (docs/decisions/025): text someone suggests inserting carries
 * `suggestionInsert`, text someone suggests deleting carries `suggestionDelete`, each with the suggestion's id, its
 * author's user id, municipality code and the time it was made. They merge like any text in the Y.Doc and survive
 * offline edits; the canonical form (and so a version's hash) reads the accepted text only: inserted text left out,
 * deletion marks dropped.
 */
export const SUGGESTION_INSERT = 'suggestionInsert';
export const SUGGESTION_DELETE = 'suggestionDelete';
export const SUGGESTION_MARKS: readonly string[] = [SUGGESTION_INSERT, SUGGESTION_DELETE];

export interface SuggestionAttrs {
  id: string;
  author: string;
  municipality: string;
  at: number;
}

const ID = /^[A-Za-z0-9_-]{6,64}$/;
const MUNICIPALITY = /^[0-9]{3}$/;
// Year 2020 .. 2100: a time any real client could have had.
const AT_MIN = 1_577_836_800_000;
const AT_MAX = 4_102_444_800_000;

export const SUGGESTION_ATTRIBUTE_RULES: Record<keyof SuggestionAttrs, (value: unknown) => boolean> = {
  id: (v) => typeof v === 'string' && ID.test(v),
  author: (v) => typeof v === 'string' && v.length > 0 && v.length <= 100 && !/[\u0000-\u001f\u007f\s]/.test(v),
  municipality: (v) => typeof v === 'string' && MUNICIPALITY.test(v),
  at: (v) => Number.isInteger(v) && (v as number) >= AT_MIN && (v as number) <= AT_MAX,
};

/** The suggestion attributes of a mark's value, or null when they are not a suggestion's. */
export function suggestionAttrs(value: unknown): SuggestionAttrs | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  for (const [name, valid] of Object.entries(SUGGESTION_ATTRIBUTE_RULES)) if (!valid(v[name])) return null;
  return { id: v.id as string, author: v.author as string, municipality: v.municipality as string, at: v.at as number };
}

function suggestionMark(name: string, tag: 'ins' | 'del') {
  return Mark.create({
    name,
    // Typing next to a suggestion is not part of it: the editor's suggestion mode marks new text itself.
    inclusive: false,
    // One suggestion per character: an insertion is not also suggested for deletion (the author removes it instead).
    excludes: `${SUGGESTION_INSERT} ${SUGGESTION_DELETE}`,
    addAttributes() {
      const attribute = (key: keyof SuggestionAttrs) => ({
        default: null,
        validate: (value: unknown) => {
          if (!SUGGESTION_ATTRIBUTE_RULES[key](value)) throw new RangeError(`${name}.${key}: ${JSON.stringify(value)?.slice(0, 80)} is not allowed`);
        },
        // Pasted HTML never makes a suggestion (it would carry someone else's name): the attributes are not read.
        parseHTML: () => null,
        renderHTML: () => ({}),
      });
      return { id: attribute('id'), author: attribute('author'), municipality: attribute('municipality'), at: attribute('at') };
    },
    parseHTML() {
      return [];
    },
    renderHTML({ mark }) {
      return [tag, { 'data-suggestion': mark.attrs.id, 'data-author': mark.attrs.author, class: `suggestion suggestion--${tag === 'ins' ? 'insert' : 'delete'}` }, 0];
    },
  });
}

export const SuggestionInsert = suggestionMark(SUGGESTION_INSERT, 'ins');
export const SuggestionDelete = suggestionMark(SUGGESTION_DELETE, 'del');
