import { z } from 'zod';
import { DomainError } from '../shared/errors.ts';
import { helsinkiParts } from '../shared/helsinki.ts';

/*
 * The pure rules of exports (docs/decisions/022-exports.md): which formats each file comes in, the language a file
 * is written in, how its time is shown, and what verify accepts.
 */

export const DOCUMENT_FORMATS = ['docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
export const PROPOSAL_FORMATS = ['docx'] as const;
export const SUMMARY_FORMATS = ['pdf'] as const;
export const MATRIX_FORMATS = ['csv', 'pdf'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

export const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
} as const;

/** The format asked for, or invalid input naming the formats there are (the API answers 400). */
export function parseFormat<const F extends readonly string[]>(formats: F, value: unknown): F[number] {
  if (typeof value === 'string' && (formats as readonly string[]).includes(value)) return value;
  const message = `format must be ${formats.join(' or ')}`;
  throw new DomainError('invalid_input', message, { issues: [{ path: ['format'], code: 'invalid_format', message }] });
}

/** The file language of an area's documents: Swedish when the host municipality's first language is, else Finnish. */
export function areaLanguage(municipalities: ReadonlyArray<{ isHost: boolean; language: string }>): 'fi' | 'sv' {
  return municipalities.find((m) => m.isHost)?.language.startsWith('sv') ? 'sv' : 'fi';
}

/** A council's own language: Swedish for a Swedish-speaking municipality, a bilingual one's first language. */
export function municipalityLanguage(language: string): 'fi' | 'sv' {
  return language.startsWith('sv') ? 'sv' : 'fi';
}

/** "7.12.2026 klo 8.34" (fi), "7.12.2026 kl. 8.34" (sv), "7.12.2026 8.34" (en), in Helsinki. */
export function exportTime(ms: number, lang: 'fi' | 'sv' | 'en'): string {
  const p = helsinkiParts(ms);
  const clock = `${p.hour}.${String(p.minute).padStart(2, '0')}`;
  return `${p.day}.${p.month}.${p.year} ${lang === 'fi' ? 'klo ' : lang === 'sv' ? 'kl. ' : ''}${clock}`;
}

/** The Helsinki date of an instant as a Finn writes it: 1.12.2026. */
export function finnishDate(ms: number): string {
  const p = helsinkiParts(ms);
  return `${p.day}.${p.month}.${p.year}`;
}

/** YYYY-MM-DD → 1.12.2026. */
export const calendarDate = (date: string): string => `${Number(date.slice(8, 10))}.${Number(date.slice(5, 7))}.${date.slice(0, 4)}`;

/**
 * The largest file verify takes: an exported agreement is well under 1 MB; a council's copy with pictures pasted in
 * can be bigger. Larger uploads are refused (413) before they are read whole.
 */
export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

/** A pasted hash: the full SHA-256 (64 hex digits, the cover's) or its first 8 or more digits (the short form). */
export const verifyHash = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase().replace(/…$/, '').replace(/^sha-?256:/, ''))
  .pipe(z.string().regex(/^[0-9a-f]{8,64}$/, 'a SHA-256 hash: 64 hexadecimal digits, or at least its first 8'));
