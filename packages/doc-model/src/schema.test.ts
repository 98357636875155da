import { getExtensionField } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { isAllowedLinkHref, sopuExtensions, sopuSchema } from './schema.ts';

describe('sopuSchema', () => {
  it('is built without a DOM', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    expect(sopuSchema.topNodeType.name).toBe('doc');
  });

  it('holds the agreement vocabulary: headings, lists, tables, links and inline marks', () => {
    for (const node of ['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'hardBreak']) {
      expect(sopuSchema.nodes).toHaveProperty(node);
    }
    for (const node of ['table', 'tableRow', 'tableHeader', 'tableCell']) expect(sopuSchema.nodes).toHaveProperty(node);
    for (const mark of ['bold', 'italic', 'underline', 'strike', 'link']) expect(sopuSchema.marks).toHaveProperty(mark);
  });

  it('leaves undo to Collaboration and keeps tables unresizable', () => {
    const named = (name: string) => sopuExtensions.find((e) => e.name === name);
    expect(named('undoRedo')).toBeUndefined();
    expect(named('link')?.options).toMatchObject({ openOnClick: false, autolink: true });
    expect(named('table')?.options).toMatchObject({ resizable: false });
  });

  it('validates a document against the schema', () => {
    const doc = sopuSchema.nodeFromJSON({
      type: 'doc',
      content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Osapuolet' }] }],
    });
    expect(() => doc.check()).not.toThrow();
    const invalid = sopuSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'text', text: 'loose text' }] });
    expect(() => invalid.check()).toThrow();
  });
});

describe('attributes: every value the schema takes is one it validates', () => {
  const allTypes = [...Object.values(sopuSchema.nodes), ...Object.values(sopuSchema.marks)];

  it('gives every attribute of every node and mark a validator, which accepts the defaults of nodes', () => {
    const attributes = allTypes.flatMap((type) => Object.entries(type.spec.attrs ?? {}).map(([name, spec]) => ({ type, name, spec })));
    expect(attributes.map(({ type, name }) => `${type.name}.${name}`).sort()).toEqual(
      ['codeBlock.language', 'heading.level', 'link.href', 'link.title', 'orderedList.start', 'orderedList.type', ...['tableCell', 'tableHeader'].flatMap((c) => ['align', 'colspan', 'colwidth', 'rowspan'].map((a) => `${c}.${a}`)), ...['suggestionInsert', 'suggestionDelete'].flatMap((m) => ['at', 'author', 'id', 'municipality'].map((a) => `${m}.${a}`))].sort(),
    );
    for (const { type, name, spec } of attributes) {
      expect(typeof spec.validate, `${type.name}.${name}`).toBe('function');
      if (type.name in sopuSchema.nodes) expect(() => (spec.validate as (v: unknown) => void)(spec.default), `${type.name}.${name} default`).not.toThrow();
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['heading', { level: 9 }],
    ['heading', { level: '2' }],
    ['heading', { level: 0 }],
    ['codeBlock', { language: 'js onload=x' }],
    ['orderedList', { start: Number.NaN }],
    ['orderedList', { type: 'disc' }],
    ['tableCell', { colspan: 0 }],
    ['tableCell', { rowspan: 1e9 }],
    ['tableHeader', { colwidth: [Number.NaN] }],
    ['tableHeader', { align: 'justify' }],
  ])('refuses %s %j', (name, attrs) => {
    expect(() => sopuSchema.nodes[name]!.create(attrs)).toThrow(RangeError);
  });

  it('reads pasted HTML into valid values or the default, never into a value it would refuse', () => {
    const attributesOf = (name: string) => {
      const extension = sopuExtensions.find((e) => e.name === name)!;
      const add = getExtensionField<() => Record<string, { parseHTML?: (el: HTMLElement) => unknown }>>(extension, 'addAttributes', { name, options: extension.options, storage: extension.storage, parent: undefined });
      return add();
    };
    const element = (attrs: Record<string, string>) =>
      ({ getAttribute: (n: string) => attrs[n] ?? null, hasAttribute: (n: string) => n in attrs, querySelector: () => null, closest: () => null, parentElement: null, firstElementChild: null }) as unknown as HTMLElement;
    expect(attributesOf('orderedList').start!.parseHTML!(element({ start: 'x' }))).toBeNull();
    expect(attributesOf('orderedList').start!.parseHTML!(element({ start: '3' }))).toBe(3);
    expect(attributesOf('orderedList').type!.parseHTML!(element({ type: 'disc' }))).toBeNull();
    expect(attributesOf('tableCell').colspan!.parseHTML!(element({ colspan: 'abc' }))).toBeNull();
    expect(attributesOf('tableCell').colspan!.parseHTML!(element({ colspan: '2' }))).toBe(2);
    expect(attributesOf('tableCell').colwidth!.parseHTML!(element({ colwidth: 'auto' }))).toBeNull();
    expect(attributesOf('tableCell').colwidth!.parseHTML!(element({ colwidth: '120' }))).toEqual([120]);
    expect(attributesOf('heading').level!.parseHTML!(element({ level: '9' }))).toBeNull();
  });
});

describe('isAllowedLinkHref', () => {
  it.each([
    'https://www.finlex.fi/fi/laki/ajantasa/2015/20150410',
    'http://example.fi',
    'HTTPS://EXAMPLE.FI',
    'mailto:kirjaamo@example.fi',
    'example.fi',
    'kirjaamo@example.fi',
    'äänekoski.fi',
  ])('allows %s', (href) => {
    expect(isAllowedLinkHref(href)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'ftp://example.fi',
    'tel:+358401234567',
    'file:///etc/passwd',
    '/relative/path',
    '//example.fi',
    '#anchor',
    '',
  ])('refuses %s', (href) => {
    expect(isAllowedLinkHref(href)).toBe(false);
  });
});
