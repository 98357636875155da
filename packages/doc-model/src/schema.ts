import { fromString, getExtensionField, getSchema, type AnyExtension, type Attribute } from '@tiptap/core';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { isAllowedLinkHref } from './link-href.ts';
import { SuggestionDelete, SuggestionInsert } from './suggestion-marks.ts';

// The link allow-list lives apart (link-href.ts): pages that only show links import it without the schema.
export { isAllowedLinkHref, LINK_PROTOCOLS } from './link-href.ts';

const LINK_HREF_MAX = 4096;
const TEXT_ATTRIBUTE_MAX = 1000;
const SPAN_MAX = 1000;
const COLUMN_WIDTH_MAX = 100_000;

const isInteger = (value: unknown, min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const isShortText = (value: unknown, max: number) => typeof value === 'string' && value.length <= max && !/[\u0000-\u001f\u007f]/.test(value);

/**
 * The attributes Sopu's text keeps, and the values each may hold: this is part of the schema (ProseMirror runs
 * `validate` for every value given to a node or mark), so the browser's editor, the collab server's guard and the
 * readers of stored content share one rule. An attribute of an extension that is not listed here is not part of
 * the schema at all: the link's `target`, `rel` and `class` are the renderer's business (the editor adds them from
 * the link's HTMLAttributes option when it draws the link), never stored content (docs/decisions/007).
 */
const ATTRIBUTE_RULES: Record<string, Record<string, (value: unknown, options: Record<string, unknown>) => boolean>> = {
  heading: { level: (v, options) => (options.levels as unknown[]).includes(v) },
  // Rendered as the class `language-<name>` of the code element: a short word, no spaces.
  codeBlock: { language: (v) => v === null || (isShortText(v, 64) && /^[^\s]+$/.test(v as string)) },
  orderedList: {
    start: (v) => isInteger(v, -1_000_000_000, 1_000_000_000),
    type: (v) => v === null || (typeof v === 'string' && ['1', 'a', 'A', 'i', 'I'].includes(v)),
  },
  tableCell: tableCellRules(),
  tableHeader: tableCellRules(),
  link: {
    href: (v) => typeof v === 'string' && v.length <= LINK_HREF_MAX && isAllowedLinkHref(v),
    title: (v) => v === null || isShortText(v, TEXT_ATTRIBUTE_MAX),
  },
};

function tableCellRules(): Record<string, (value: unknown) => boolean> {
  return {
    colspan: (v) => isInteger(v, 1, SPAN_MAX),
    rowspan: (v) => isInteger(v, 1, SPAN_MAX),
    // prosemirror-tables keeps one width per spanned column, 0 where unknown; null when none is set.
    colwidth: (v) => v === null || (Array.isArray(v) && v.length >= 1 && v.length <= SPAN_MAX && v.every((w) => isInteger(w, 0, COLUMN_WIDTH_MAX))),
    align: (v) => v === null || v === 'left' || v === 'right' || v === 'center',
  };
}

/**
 * An extension whose attributes follow ATTRIBUTE_RULES: each kept attribute gets a validator, and its reading from
 * pasted HTML gives up (the attribute's default) instead of producing a value the validator refuses (a pasted
 * `<ol start="x">` would otherwise become `start: NaN`, which no JSON, and so no content hash, can hold).
 */
function withAttributeRules(extension: AnyExtension): AnyExtension {
  const rules = ATTRIBUTE_RULES[extension.name];
  if (!rules) return extension;
  return (extension as { extend: (config: object) => AnyExtension }).extend({
    addAttributes(this: { parent?: () => Record<string, Partial<Attribute>>; options: Record<string, unknown> }) {
      const inherited = this.parent?.() ?? {};
      const options = this.options;
      const attributes: Record<string, Partial<Attribute>> = {};
      for (const [name, spec] of Object.entries(inherited)) {
        const valid = rules[name];
        if (!valid) continue;
        const parse = spec.parseHTML ?? ((element: HTMLElement) => fromString(element.getAttribute(name)));
        attributes[name] = {
          ...spec,
          validate: (value: unknown) => {
            if (!valid(value, options)) throw new RangeError(`${extension.name}.${name}: ${JSON.stringify(value)?.slice(0, 80)} is not allowed`);
          },
          parseHTML: (element: HTMLElement) => {
            const value: unknown = parse(element);
            return valid(value, options) ? value : null;
          },
        };
      }
      return attributes;
    },
  });
}

/** The extensions a kit (StarterKit, TableKit) adds, configured as the kit configures them. */
function kitContents(kit: AnyExtension): AnyExtension[] {
  const add = getExtensionField<(() => AnyExtension[]) | undefined>(kit, 'addExtensions', { name: kit.name, options: kit.options, storage: kit.storage });
  return add ? add() : [kit];
}

/**
 * The one editor vocabulary of Sopu. The browser adds Collaboration (which brings its own undo, hence
 * `undoRedo: false`) and carets on top; the server and exports read documents through `sopuSchema`. The kits are
 * unpacked (in their own order, which decides the order of marks in stored content) so that the attributes of
 * their nodes and marks can be held to ATTRIBUTE_RULES.
 */
export const sopuExtensions: AnyExtension[] = [
  ...kitContents(
    StarterKit.configure({
      undoRedo: false,
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        isAllowedUri: (url) => isAllowedLinkHref(url),
      },
    }),
  ),
  // Column widths set by dragging would be layout noise in a legal text and in its content hash.
  ...kitContents(TableKit.configure({ table: { resizable: false } })),
].map(withAttributeRules).concat(
  // Last, so the marks of text before suggestions existed keep their order (and documents their hash).
  [SuggestionInsert, SuggestionDelete],
);

export const sopuSchema = getSchema(sopuExtensions);
