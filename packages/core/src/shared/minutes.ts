// Minutes as municipalities publish them, pure: a section (§) and a link, read the same way for a council's decision
// (approvals) and the decision behind a consultation statement (consultation). The UI may import this file.

export const MINUTES_URL_MAX_LENGTH = 2000;

/**
 * A minutes section as councils write it: "45 §", "§ 45", "§45", "45§" or "45", normalised to "45 §" (the Finnish
 * and Swedish way round). Null for anything else.
 */
export function normaliseMinutesSection(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*(?:§\s*(\d{1,4})|(\d{1,4})\s*§?)\s*$/.exec(value);
  const digits = match?.[1] ?? match?.[2];
  if (!digits) return null;
  const n = Number(digits);
  return n >= 1 ? `${n} §` : null;
}

/**
 * A link to published minutes: https only (every municipality publishes its minutes over https; http could be
 * altered on the way and javascript:/data: are never links), a public host name, no user name or password, at most
 * 2000 characters.
 */
export function isAllowedMinutesUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MINUTES_URL_MAX_LENGTH) return false;
  if (/[\s\u0000-\u001f\u007f]/.test(value) || !/^https:\/\/[^/]/i.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname.includes('.') && url.username === '' && url.password === '';
}
