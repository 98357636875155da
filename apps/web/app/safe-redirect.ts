/**
 * A redirect target taken from the request must stay on this site: a path starting with a single `/`, with no
 * scheme, no `//host` and no backslash tricks (browsers read `/\host` as `//host`).
 */
export function safeRedirect(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2000) return fallback;
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  // Control characters and whitespace are stripped by URL parsers and could turn `/\t/host` into `//host`.
  if (/[\u0000-\u0020\\\u007f]/.test(target)) return fallback;
  return target;
}
