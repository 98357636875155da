// The template's placeholders, pure: "[Täydennetään: …]" and its Swedish and English forms mark text still to be
// written. The negotiation refuses to mark such a section agreed; the checks do not count it as covering its topic.

export const PLACEHOLDER = /\[\s*(?:Täydennetään|Taydennetaan|Kompletteras|To be completed)\b[^\]]*\]/iu;

/** The placeholders of a text removed (every occurrence), for asking whether anything real is left. */
export function withoutPlaceholders(text: string): string {
  return text.replace(new RegExp(PLACEHOLDER.source, 'giu'), '');
}
