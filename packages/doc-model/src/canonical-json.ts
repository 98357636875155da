import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { DocumentLanguage } from './bilingual.ts';
import type { ProseMirrorJSON } from './canonical.ts';

function canonicalValue(value: unknown, path: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value);
    case 'undefined':
      return undefined;
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => canonicalValue(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = canonicalValue(record[key], `${path}.${key}`);
        if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`);
  }
}

/**
 * JSON with object keys sorted by code unit and no whitespace, so equal values always give equal bytes.
 * Undefined members are left out as JSON.stringify does; values JSON cannot round-trip (NaN, bigint) throw.
 */
export function canonicalJson(value: unknown): string {
  const json = canonicalValue(value, '$');
  if (json === undefined) throw new TypeError('canonicalJson: the value is undefined');
  return json;
}

export function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/**
 * The hash of a bilingual section's two texts as a reader saw them (`SectionTranslation.texts`): sent with "mark the
 * translation updated" so that the server marks the texts the person checked, not whatever arrived meanwhile.
 */
export function hashTranslationTexts(texts: Record<DocumentLanguage, ProseMirrorJSON>): string {
  return sha256Hex(canonicalJson({ fi: texts.fi, sv: texts.sv }));
}
