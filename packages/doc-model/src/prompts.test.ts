import { describe, expect, it } from 'vitest';
import { legalFor, promptsFor } from './prompts.ts';
import { templateFor } from './templates.ts';

describe('guiding questions in Finnish and Swedish', () => {
  for (const kind of ['cooperation_agreement', 'administrative_rules'] as const) {
    it(`translates every question of ${kind}, one for one`, () => {
      for (const section of templateFor(kind)) {
        for (const language of ['fi', 'sv'] as const) {
          const prompts = promptsFor(section, language);
          expect(prompts, `${section.key} ${language}`).toHaveLength(section.prompts.length);
          // a translation, not the English fallback
          prompts.forEach((p, i) => expect(p, `${section.key} ${language} ${i}`).not.toBe(section.prompts[i]));
        }
      }
    });
  }

  it('keeps English for English readers and falls back to English without a translation', () => {
    const [parties] = templateFor('cooperation_agreement');
    expect(promptsFor(parties!, 'en')).toEqual(parties!.prompts);
    expect(promptsFor({ key: 'no_such_section', prompts: ['Q?'] }, 'fi')).toEqual(['Q?']);
  });
});

describe('legal references', () => {
  it('are translated for every section that has one', () => {
    for (const kind of ['cooperation_agreement', 'administrative_rules'] as const) {
      for (const section of templateFor(kind).filter((s) => s.legal)) {
        expect(legalFor(section, 'fi')).toMatch(/^Kuntalaki/);
        expect(legalFor(section, 'sv')).toMatch(/^Kommunallagen/);
        expect(legalFor(section, 'en')).toBe(section.legal);
      }
    }
  });
});
