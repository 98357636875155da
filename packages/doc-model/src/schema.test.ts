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
    const [starterKit, tableKit] = sopuExtensions;
    expect(starterKit?.options).toMatchObject({ undoRedo: false, link: { openOnClick: false, autolink: true } });
    expect(tableKit?.options).toMatchObject({ table: { resizable: false } });
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
