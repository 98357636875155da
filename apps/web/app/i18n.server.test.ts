import { describe, expect, it } from 'vitest';
import { languageFromAcceptLanguage, resolveLanguage } from './i18n.server.ts';

const request = (headers: Record<string, string>) => new Request('http://localhost/', { headers });

describe('resolveLanguage', () => {
  it('prefers the lang cookie', () => {
    expect(resolveLanguage(request({ Cookie: 'a=b; lang=sv', 'Accept-Language': 'en' }))).toBe('sv');
  });

  it('ignores an unknown cookie value and falls back to Accept-Language', () => {
    expect(resolveLanguage(request({ Cookie: 'lang=de', 'Accept-Language': 'en-GB,en;q=0.8' }))).toBe('en');
  });

  it('a malformed or huge lang cookie is ignored, not an error', () => {
    for (const value of ['%E0%A4%A', '%', '%zz', 'sv%', 'x'.repeat(8000), `sv${'%20'.repeat(3000)}`]) {
      expect(resolveLanguage(request({ Cookie: `lang=${value}`, 'Accept-Language': 'sv' })), value.slice(0, 20)).toBe('sv');
      expect(resolveLanguage(request({ Cookie: `theme=dark; lang=${value}` })), value.slice(0, 20)).toBe('fi');
    }
    expect(resolveLanguage(request({ Cookie: 'lang=%65n' }))).toBe('en');
  });

  it('defaults to Finnish', () => {
    expect(resolveLanguage(request({}))).toBe('fi');
    expect(resolveLanguage(request({ 'Accept-Language': 'de-DE,fr;q=0.5' }))).toBe('fi');
  });
});

describe('languageFromAcceptLanguage', () => {
  it('honours q-values and order', () => {
    expect(languageFromAcceptLanguage('de;q=1, sv-FI;q=0.9, fi;q=0.8')).toBe('sv');
    expect(languageFromAcceptLanguage('fi-FI, sv;q=0.9')).toBe('fi');
    expect(languageFromAcceptLanguage('sv;q=0, en;q=0.1')).toBe('en');
  });
});
