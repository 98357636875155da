import { describe, expect, it } from 'vitest';
import en from './en.json';
import fi from './fi.json';
import sv from './sv.json';

type Tree = { [key: string]: string | Tree };

/** Every leaf as `path.to.key` → value. */
function flatten(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') for (const [k, v] of flatten(value, path)) out.set(k, v);
    else out.set(path, value);
  }
  return out;
}

const locales = { fi: flatten(fi), sv: flatten(sv), en: flatten(en) };
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translation files', () => {
  it('have exactly the same keys in fi, sv and en', () => {
    const reference = [...locales.fi.keys()].sort();
    expect([...locales.sv.keys()].sort()).toEqual(reference);
    expect([...locales.en.keys()].sort()).toEqual(reference);
  });

  it.each(Object.entries(locales))('%s has a non-empty string for every key', (_lang, entries) => {
    const bad = [...entries].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it('use the same {{placeholders}} in every language', () => {
    const mismatched = [...locales.fi].filter(([key, value]) => {
      const expected = placeholders(String(value));
      return [locales.sv, locales.en].some((other) => JSON.stringify(placeholders(String(other.get(key)))) !== JSON.stringify(expected));
    });
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('use no dots in key names (i18next would read them as nesting)', () => {
    const dotted = (tree: Tree): string[] =>
      Object.entries(tree).flatMap(([key, value]) => [...(key.includes('.') ? [key] : []), ...(typeof value === 'object' ? dotted(value) : [])]);
    expect(dotted(fi)).toEqual([]);
  });
});
