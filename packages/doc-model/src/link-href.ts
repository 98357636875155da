// What a link may point to: the allow-list the schema, the editor's autolink and every page that shows a link apply.

export const LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
// Browsers ignore whitespace and control characters inside a URL ("java\tscript:"), so the check must too.
const IGNORED_IN_URL = /[\s\u0000-\u001f\u007f-\u009f]/g;

/**
 * Tiptap's `protocols` option only adds schemes to linkify; it cannot remove the default ones (ftp, tel, …),
 * so the allow-list is enforced here. Linkify hands over bare text ("example.fi", "name@example.fi") before it
 * adds the default protocol, so schemeless text is allowed when it starts like a host name, not like a path.
 */
export function isAllowedLinkHref(href: string): boolean {
  const url = href.replace(IGNORED_IN_URL, '');
  if (url === '') return false;
  const scheme = SCHEME.exec(url)?.[1];
  if (scheme !== undefined) return (LINK_PROTOCOLS as readonly string[]).includes(scheme.toLowerCase());
  return /^[\p{L}\p{N}]/u.test(url);
}
