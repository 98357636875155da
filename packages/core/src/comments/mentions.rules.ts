/**
 * Mentions in comment bodies. A body is plain text; a mention is the token `<@user-id>` (as chat tools store them),
 * which the UI shows as "@Name (Municipality)". Tokens naming nobody in the area stay plain text.
 */
const MENTION = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/g;

export const mentionToken = (userId: string) => `<@${userId}>`;

/** The distinct user ids a body mentions, in order of first appearance. */
export function mentionedIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => m[1]!))];
}

/** A body with its mentions as "@Name" (for e-mail-like excerpts); unknown ids stay as they are. */
export function renderMentions(body: string, nameOf: (userId: string) => string | undefined): string {
  return body.replace(MENTION, (token, id: string) => {
    const name = nameOf(id);
    return name ? `@${name}` : token;
  });
}

/** Splits a body into text and mention parts, for rendering as elements (never as HTML). */
export function splitMentions(body: string): Array<{ text: string } | { mention: string }> {
  const parts: Array<{ text: string } | { mention: string }> = [];
  let at = 0;
  for (const m of body.matchAll(MENTION)) {
    if (m.index! > at) parts.push({ text: body.slice(at, m.index) });
    parts.push({ mention: m[1]! });
    at = m.index! + m[0].length;
  }
  if (at < body.length) parts.push({ text: body.slice(at) });
  return parts;
}
