/**
 * Presence (Yjs awareness) in Sopu: what a person's awareness state holds, shared by the browser and the server.
 *
 * The server owns the identity: it replaces `sopu` and `user` with what the session says (name, municipality, role,
 * read-only, colour), keeps only a valid section key and a well-formed caret from the client, and drops the rest.
 * A client reading states still treats them as untrusted (`readPresence`): another server version, or a bug, must
 * not break the page for everyone.
 */

/** Our field: who, from which municipality, in which role, where. */
export const PRESENCE_FIELD = 'sopu';
/** The collaboration caret's field (name and colour of a person's caret). */
export const CARET_USER_FIELD = 'user';
/** y-prosemirror's field for the caret and selection (relative positions). */
export const CURSOR_FIELD = 'cursor';

export interface PresenceIdentity {
  userId: string;
  name: string;
  municipality: { fi: string; sv: string };
  municipalityCode: string;
  role: string;
  readOnly: boolean;
  colour: string;
}

export interface Presence extends PresenceIdentity {
  /** The section whose editor has this person's focus, if any. */
  section: string | null;
}

// Caret and presence colours: each dark enough for white text at WCAG AA (≥ 4.5:1), and distinct from each other.
const PALETTE = ['#0b5394', '#a61c00', '#2f6b18', '#6b4f00', '#741b47', '#134f5c', '#5b3a9b', '#8a4b08', '#00695c', '#ad1457'];

/** A stable colour per person: the same user has the same colour in every browser and every session. */
export function colourFor(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

const NAME_MAX = 200;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max = NAME_MAX): string | null => (typeof value === 'string' ? value.slice(0, max) : null);

/** A person's presence from an awareness state, or null when the state does not hold a well-formed one. */
export function readPresence(state: unknown): Presence | null {
  if (!isRecord(state)) return null;
  const p = state[PRESENCE_FIELD];
  if (!isRecord(p)) return null;
  const userId = text(p.userId, 100);
  const name = text(p.name);
  const municipality = isRecord(p.municipality) ? { fi: text(p.municipality.fi) ?? '', sv: text(p.municipality.sv) ?? '' } : null;
  const colour = typeof p.colour === 'string' && /^#[0-9a-f]{6}$/i.test(p.colour) ? p.colour : null;
  if (!userId || !name || !municipality || !colour) return null;
  return {
    userId,
    name,
    municipality,
    municipalityCode: text(p.municipalityCode, 10) ?? '',
    role: text(p.role, 40) ?? '',
    readOnly: p.readOnly === true,
    colour,
    section: typeof p.section === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(p.section) ? p.section : null,
  };
}

/** The caret label: the person's name and municipality (in the municipality's own first language). */
export function caretLabel(identity: Pick<PresenceIdentity, 'name' | 'municipality'>): string {
  return `${identity.name} (${identity.municipality.fi})`;
}
