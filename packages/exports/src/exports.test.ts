import { diffDocuments, LAYOUT_VERSION, templateFor, type CanonicalSection } from '@sopu/doc-model';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentFileName, documentModel, proposalFileName, proposalModel, type ProposalFacts } from './builders.ts';
import { csvOf } from './csv.ts';
import { renderDocx } from './docx.ts';
import type { ExportDocument } from './model.ts';
import { renderPdf } from './pdf.ts';
import { convertDocx, docxPart, docxText, pdfFonts, pdfInfo, pdfPages, pdfText, requireReaders } from './readers.ts';
import { DEMO_HASH, demoFacts, demoSections } from './testing.ts';

/*
 * The files read back by real readers (decision 022): each DOCX opened by LibreOffice, each PDF by poppler. The
 * pages are also drawn as PNG into packages/exports/pages/ to be looked at.
 */

const PAGES = fileURLToPath(new URL('../pages/', import.meta.url));
const TITLES_FI = templateFor('cooperation_agreement').map((s) => s.title.fi);
const TITLES_SV = templateFor('cooperation_agreement').map((s) => s.title.sv);

/** Where each of `needles` is in `haystack`, failing on a missing one; in order when the positions rise. */
function positions(haystack: string, needles: readonly string[]): number[] {
  const flat = haystack.replace(/\s+/g, ' ');
  return needles.map((n) => {
    const at = flat.indexOf(n.replace(/\s+/g, ' '));
    expect(at, `"${n}" in the text`).toBeGreaterThanOrEqual(0);
    return at;
  });
}

const rising = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

function proposalFacts(earlier: ProposalFacts['earlier'], lang: 'fi' | 'sv' = 'fi'): ProposalFacts {
  return {
    lang,
    areaSlug: 'kainuu-koillismaa',
    areaName: lang === 'sv' ? 'Kajanaland-Koillismaa sysselsättningsområde' : 'Kainuu-Koillismaan työllisyysalue',
    municipalityCode: '290',
    municipalityName: 'Kuhmo',
    documentKind: 'cooperation_agreement',
    documentTitle: lang === 'sv' ? 'Samarbetsavtal' : 'Yhteistoimintasopimus',
    version: { number: 3, label: 'Korjattu versio' },
    hash: DEMO_HASH,
    sentOn: '1.12.2026',
    exportedAt: '7.12.2026 klo 8.34',
    exportedAtMs: Date.UTC(2026, 11, 7, 6, 34),
    background: 'Työllisyysalueen kunnat ovat valmistelleet sopimusta syksyn 2026 aikana.\n\nVersioon 3 on tarkennettu äänivaltaa ja §-viittauksia.',
    appendix: 'kainuu-koillismaa-yhteistoimintasopimus-v3-19ab34cd.pdf',
    earlier,
    author: 'Sopu',
  };
}

/** Version 2 → 3 of the demo agreement: a word changed in one section, a sentence added in another. */
function earlierChanges(): NonNullable<ProposalFacts['earlier']> {
  const v2 = demoSections();
  const v3: CanonicalSection[] = v2.map((s) => {
    if (s.key === 'purpose') {
      const json = JSON.stringify(s.content).replace('yhdenvertaisesti', 'tasapuolisesti');
      return { ...s, content: JSON.parse(json) };
    }
    if (s.key === 'personnel') return { ...s, content: { type: 'doc', content: [...(s.content.content ?? []), { type: 'paragraph', content: [{ type: 'text', text: 'Uusi lisätty virke henkilöstöstä § 7.' }] }] } };
    return s;
  });
  const diff = diffDocuments({ layout: LAYOUT_VERSION, sections: v2 }, { layout: LAYOUT_VERSION, sections: v3 });
  const titles = new Map(templateFor('cooperation_agreement').map((t, i) => [t.key, { title: t.title.fi, number: i + 1 }]));
  return {
    number: 2,
    decided: '3.12.2026',
    sections: diff.sections.filter((s) => s.changed).map((s) => ({ number: titles.get(s.key)!.number, title: titles.get(s.key)!.title, blocks: s.blocks ?? [] })),
  };
}

describe('exported files read back by LibreOffice and poppler', () => {
  const models: Record<string, ExportDocument> = {};
  const files: Record<string, Uint8Array> = {};
  let texts: Record<string, string> = {};

  beforeAll(async () => {
    requireReaders();
    mkdirSync(PAGES, { recursive: true });
    models.fi = documentModel(demoFacts());
    models.sv = documentModel(
      demoFacts({
        lang: 'sv',
        areaSlug: 'saaristo-skargard',
        areaName: 'Saaristo-Skärgårdens sysselsättningsområde',
        documentTitle: 'Samarbetsavtal',
        sections: demoSections('saaristo-skargard'),
        titles: Object.fromEntries(templateFor('cooperation_agreement').map((s) => [s.key, s.title.sv])),
        approvalStatus: 'Godkänt av alla tre fullmäktige.',
      }),
    );
    models.proposal = proposalModel(proposalFacts(earlierChanges()));
    models.proposalSv = proposalModel(proposalFacts(null, 'sv'));
    for (const [name, model] of Object.entries(models)) {
      files[`${name}.docx`] = await renderDocx(model);
      if (!name.startsWith('proposal')) files[`${name}.pdf`] = await renderPdf(model);
    }
    const docx = Object.keys(files).filter((n) => n.endsWith('.docx'));
    const read = await docxText(docx.map((n) => files[n]!));
    texts = Object.fromEntries(docx.map((n, i) => [n, read[i]!]));
    for (const name of Object.keys(files).filter((n) => n.endsWith('.pdf'))) texts[name] = await pdfText(files[name]!);
  }, 240_000);

  it('has every section title in order, with the text, å, ä, ö and § intact (DOCX and PDF, Finnish and Swedish)', () => {
    for (const [lang, titles] of [['fi', TITLES_FI], ['sv', TITLES_SV]] as const) {
      for (const format of ['docx', 'pdf']) {
        const text = texts[`${lang}.${format}`]!;
        const at = positions(text, titles.map((t, i) => `${i + 1}. ${t}`));
        expect(rising(at), `${lang}.${format}: sections in order`).toBe(true);
      }
    }
    for (const format of ['docx', 'pdf']) {
      const text = texts[`fi.${format}`]!;
      positions(text, ['Lihavoitu ja kursivoitu sekä linkki kuntalain 51 §:ään.', 'Äänivallan jakautuminen', 'Åland och Närpes', 'Öljyvahinko § 12', 'Rivinvaihto', 'toinen rivi.', 'Hyrynsalmi']);
      // The not-applicable section says so, with its reason.
      positions(text, ['5. Otto-oikeus', 'Ei sovellu:', 'Otto-oikeudesta ei sovita: kuntalain 92 §']);
      expect(text).not.toMatch(/\uFFFD/);
    }
    positions(texts['sv.pdf']!, ['Samarbetsavtal', 'Inte tillämplig:', 'Sida 1 /']);
  });

  it('states the area, document, version, date, full hash, short hash and approval status on the cover', () => {
    for (const format of ['docx', 'pdf']) {
      const text = texts[`fi.${format}`]!;
      const cover = text.slice(0, text.indexOf('1. Osapuolet'));
      positions(cover, ['Kainuu-Koillismaan työllisyysalue', 'Yhteistoimintasopimus', '2 – Valtuustokäsittelyyn', '7.12.2026 klo 8.34', 'Lyhyt tarkiste', '19ab34cd']);
      expect(cover.replace(/\s+/g, ''), `${format}: the full hash on the cover`).toContain(DEMO_HASH);
      expect(cover.replace(/\s+/g, ' ')).toContain('hyväksynyt 4/10: Kajaani, Paltamo, Puolanka, Sotkamo');
    }
  });

  it('embeds every font of the PDF, is tagged, PDF/A-2b, and carries the hash in Info and XMP', async () => {
    for (const name of ['fi.pdf', 'sv.pdf']) {
      const fonts = await pdfFonts(files[name]!);
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.filter((f) => !f.embedded), `${name}: unembedded fonts`).toEqual([]);
      expect(fonts.every((f) => f.name.includes('DejaVu'))).toBe(true);
      const info = await pdfInfo(files[name]!);
      expect(info).toMatch(/^Tagged:\s+yes$/m);
      expect(info).toMatch(new RegExp(`^Keywords:\\s+sha256:${DEMO_HASH}$`, 'm'));
      expect(info).toMatch(/^Page size:.*\(A4\)$/m);
      expect(await pdfInfo(files[name]!, '-custom')).toMatch(new RegExp(`SopuContentHash:\\s+${DEMO_HASH}`));
      const xmp = await pdfInfo(files[name]!, '-meta');
      expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
      expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
      expect(xmp).toContain(`<dc:identifier>sha256:${DEMO_HASH}</dc:identifier>`);
      expect(xmp).toContain(`<pdf:Keywords>sha256:${DEMO_HASH}</pdf:Keywords>`);
    }
    // The document's language, and the running header and page numbers on every page.
    const raw = Buffer.from(files['sv.pdf']!).toString('latin1');
    expect(raw).toContain('/Lang (sv-FI)');
    const pages = Number(/^Pages:\s+(\d+)/m.exec(await pdfInfo(files['fi.pdf']!))![1]);
    expect(pages).toBeGreaterThan(2);
    for (let page = 1; page <= pages; page++) expect(texts['fi.pdf']).toContain(`Sivu ${page} / ${pages}`);
    expect(texts['fi.pdf']!.split('Kainuu-Koillismaan työllisyysalue · Yhteistoimintasopimus · Versio 2 (Valtuustokäsittelyyn)').length - 1).toBe(pages);
  });

  it('writes Word heading styles, real numbering, page fields and the hash in the DOCX properties', () => {
    const docx = files['fi.docx']!;
    const document = docxPart(docx, 'word/document.xml');
    expect(document.match(/<w:pStyle w:val="Heading1"\/>/g)?.length).toBe(TITLES_FI.length);
    expect(document).toContain('<w:numPr>');
    const numbering = docxPart(docx, 'word/numbering.xml');
    expect(numbering).toContain('w:val="%1."');
    const footer = docxPart(docx, 'word/footer1.xml');
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
    expect(docxPart(docx, 'word/header1.xml')).toContain('Kainuu-Koillismaan työllisyysalue · Yhteistoimintasopimus · Versio 2 (Valtuustokäsittelyyn)');
    expect(docxPart(docx, 'docProps/core.xml')).toContain(`sha256:${DEMO_HASH}`);
    expect(docxPart(docx, 'docProps/custom.xml')).toMatch(new RegExp(`name="SopuContentHash"[^>]*>\\s*<vt:lpwstr>${DEMO_HASH}</vt:lpwstr>`));
    expect(docxPart(files['sv.docx']!, 'word/styles.xml')).toContain('w:val="sv-FI"');
  });

  it("writes a council's decision proposal with its motion and the changes since its earlier decision as a redline", () => {
    const text = texts['proposal.docx']!;
    const at = positions(text, [
      'Päätösehdotus: Yhteistoimintasopimus',
      'Kuhmo (290)',
      'Valmistelija ja tausta',
      'Versioon 3 on tarkennettu äänivaltaa ja §-viittauksia.',
      'Valtuusto hyväksyy Kainuu-Koillismaan työllisyysalueen yhteistoimintasopimuksen, versio 3, tarkiste 19ab34cd…, liitteen mukaisena.',
      'Liitteet',
      'kainuu-koillismaa-yhteistoimintasopimus-v3-19ab34cd.pdf',
      'Muutokset valtuuston aiemmin käsittelemään versioon 2 nähden',
      '2. Sopimuksen tarkoitus',
      '6. Henkilöstö',
      'Uusi lisätty virke henkilöstöstä § 7.',
    ]);
    expect(rising(at)).toBe(true);
    // Both the deleted and the inserted word are there, the deleted struck through and the inserted underlined.
    positions(text, ['yhdenvertaisesti', 'tasapuolisesti']);
    const xml = docxPart(files['proposal.docx']!, 'word/document.xml');
    const runOf = (word: string) => xml.split('<w:r>').find((r) => r.includes(`>${word}<`)) ?? xml.split(/<w:r(?=[ >])/).find((r) => r.includes(`>${word}<`))!;
    expect(runOf('yhdenvertaisesti')).toContain('<w:strike/>');
    expect(runOf('yhdenvertaisesti')).not.toContain('<w:u ');
    expect(runOf('tasapuolisesti')).toMatch(/<w:u w:val="single"\/>/);
    expect(runOf('tasapuolisesti')).not.toContain('<w:strike/>');
    // Unchanged sections are not in the redline.
    expect(text).not.toContain('1. Osapuolet');
    // A Swedish-speaking municipality's proposal is in Swedish.
    positions(texts['proposalSv.docx']!, ['Beslutsförslag: Samarbetsavtal', 'Fullmäktige godkänner samarbetsavtalet för Kajanaland-Koillismaa sysselsättningsområde, version 3, kontrollsumma 19ab34cd…, enligt bilagan.', 'Bilagor']);
    expect(texts['proposalSv.docx']).not.toContain('Muutokset');
  });

  it('draws the pages (PNG in packages/exports/pages/ to look at)', async () => {
    const fi = await pdfPages(files['fi.pdf']!, PAGES, 'agreement-fi');
    const sv = await pdfPages(files['sv.pdf']!, PAGES, 'agreement-sv');
    expect(fi.length).toBeGreaterThan(2);
    expect(sv.length).toBeGreaterThan(1);
    // The DOCX as LibreOffice lays it out.
    const [proposal, agreement] = await convertDocx([files['proposal.docx']!, files['fi.docx']!], 'pdf');
    expect((await pdfPages(proposal!, PAGES, 'proposal-docx')).length).toBeGreaterThan(0);
    expect((await pdfPages(agreement!, PAGES, 'agreement-docx')).length).toBeGreaterThan(2);
  }, 120_000);
});

describe('file names', () => {
  it('are <area>-<document>-v<N>-<hash8>, ASCII only', () => {
    expect(documentFileName(demoFacts(), 'pdf')).toBe('kainuu-koillismaa-yhteistoimintasopimus-v2-19ab34cd.pdf');
    expect(documentFileName(demoFacts({ version: null }), 'docx')).toBe('kainuu-koillismaa-yhteistoimintasopimus-current-19ab34cd.docx');
    expect(documentFileName(demoFacts({ areaSlug: 'saaristo-skargard', documentTitle: 'Förvaltningsstadga' }), 'pdf')).toBe('saaristo-skargard-forvaltningsstadga-v2-19ab34cd.pdf');
    expect(proposalFileName({ lang: 'sv', areaSlug: 'saaristo-skargard', version: { number: 2, label: '' }, hash: DEMO_HASH, municipalityName: 'Holmby' })).toBe('saaristo-skargard-v2-19ab34cd-beslutsforslag-holmby.docx');
  });
});

describe('csvOf', () => {
  it('quotes what needs quoting, defuses formulas, and starts with a byte-order mark', () => {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csvOf([['Kunta', 'Tila'], ['Ähtäri, "Etelä"', '=HYPERLINK("x")'], ['-1', null]]));
    expect(text).toBe('\uFEFFKunta,Tila\r\n"Ähtäri, ""Etelä""","\'=HYPERLINK(""x"")"\r\n\'-1,\r\n');
  });
});
