import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_KINDS,
  documentTitle,
  isDocumentKind,
  parseAgreementTemplate,
  sectionTemplate,
  templateFor,
} from './templates.ts';

describe('templateFor', () => {
  it('has 20 agreement sections, 4 authority-task, 6 service-plan and 4 administrative-rules sections', () => {
    expect(templateFor('cooperation_agreement')).toHaveLength(20);
    expect(templateFor('authority_task_agreement')).toHaveLength(4);
    expect(templateFor('service_plan')).toHaveLength(6);
    expect(templateFor('administrative_rules')).toHaveLength(4);
  });

  it.each(DOCUMENT_KINDS)('gives %s unique keys that are safe as Yjs root names', (kind) => {
    const keys = templateFor(kind).map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it.each(DOCUMENT_KINDS)('gives every %s section three non-empty titles and marks it required', (kind) => {
    for (const section of templateFor(kind)) {
      expect(section.required).toBe(true);
      for (const title of [section.title.fi, section.title.sv, section.title.en]) expect(title.trim()).not.toBe('');
    }
  });

  it('keeps the file order, prompts and legal references of the agreement template', () => {
    const sections = templateFor('cooperation_agreement');
    expect(sections[0]?.key).toBe('parties');
    expect(sections[19]?.key).toBe('validity_termination');
    expect(sections[0]?.prompts).toContain('Which municipality acts as the employment authority?');
    expect(sectionTemplate('cooperation_agreement', 'governance')?.legal).toMatch(/kuntalaki/);
    expect(sectionTemplate('cooperation_agreement', 'parties')).not.toHaveProperty('legal');
  });

  it('gives the statutory minimum sections without prompts where the file has none', () => {
    expect(templateFor('authority_task_agreement').map((s) => s.key)).toEqual([
      'task_content',
      'task_monitoring',
      'cost_basis',
      'validity_termination',
    ]);
    expect(templateFor('service_plan').every((s) => s.prompts.length === 0)).toBe(true);
  });

  it('defines the administrative rules sections of the joint body', () => {
    expect(templateFor('administrative_rules').map((s) => s.key)).toEqual([
      'scope',
      'meeting_procedure',
      'presentation_and_decisions',
      'meeting_fees',
    ]);
    expect(sectionTemplate('administrative_rules', 'presentation_and_decisions')?.title.fi).toBe(
      'Esittely ja päätöksenteko',
    );
  });

  it('cannot be changed by a caller', () => {
    const first = templateFor('service_plan');
    first.pop();
    expect(templateFor('service_plan')).toHaveLength(6);
    const section = templateFor('service_plan')[0];
    expect(() => {
      if (section) section.key = 'changed';
    }).toThrow(TypeError);
  });

  it('rejects an unknown kind', () => {
    expect(() => templateFor('minutes' as never)).toThrow(/Unknown document kind/);
    expect(isDocumentKind('minutes')).toBe(false);
    expect(DOCUMENT_KINDS.every(isDocumentKind)).toBe(true);
  });
});

describe('documentTitle', () => {
  it('names every kind in three languages', () => {
    expect(documentTitle('cooperation_agreement')).toEqual({
      fi: 'Yhteistoimintasopimus',
      sv: 'Samarbetsavtal',
      en: 'Cooperation agreement',
    });
    expect(documentTitle('administrative_rules').sv).toBe('Förvaltningsstadga');
    expect(documentTitle('authority_task_agreement').fi).toBe(
      'Sopimus viranomaistehtävän hoitamisesta (kuntalaki 54 §)',
    );
    expect(documentTitle('service_plan')).toEqual({ fi: 'Suunnitelma työvoimapalvelujen järjestämiseksi', sv: 'Plan för ordnande av arbetskraftsservicen', en: 'Plan for organising employment services' });
  });
});

describe('parseAgreementTemplate', () => {
  const section = { key: 'parties', title: { fi: 'Osapuolet', sv: 'Parter', en: 'Parties' }, prompts: [] };
  const file = (sections: unknown[]) => ({
    documentKind: 'cooperation_agreement',
    sections,
    authorityTaskAgreement: { requiredSections: [section] },
    servicePlan: { requiredSections: [section] },
  });

  it('accepts a well-formed file', () => {
    expect(parseAgreementTemplate(file([section])).cooperation_agreement).toHaveLength(1);
  });

  it('names the first bad path', () => {
    expect(() => parseAgreementTemplate(file([{ ...section, title: { fi: 'Osapuolet', sv: 'Parter' } }]))).toThrow(
      'sections[0].title.en must be a non-empty string',
    );
    expect(() => parseAgreementTemplate(file([section, section]))).toThrow('repeats the key "parties"');
    expect(() => parseAgreementTemplate(file([{ ...section, key: 'Bad key' }]))).toThrow('sections[0].key');
    expect(() => parseAgreementTemplate(file([{ ...section, prompts: [''] }]))).toThrow('sections[0].prompts[0]');
    const noServicePlanSections = { ...file([section]), servicePlan: {} };
    expect(() => parseAgreementTemplate(noServicePlanSections)).toThrow('servicePlan.requiredSections');
  });
});
