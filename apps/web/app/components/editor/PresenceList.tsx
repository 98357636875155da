import { can, isRole } from '@sopu/core/rules';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { Collab } from './use-collab.ts';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');

/**
 * What a read-only person may still do, in the list's words: those who comment (member reps, council secretaries)
 * "can comment"; only a viewer merely reads. Null for those who edit.
 */
export function readOnlyLabelKey(person: { readOnly: boolean; role: string }): 'editor.canCommentShort' | 'editor.readOnlyShort' | null {
  if (!person.readOnly) return null;
  return isRole(person.role) && can({ role: person.role, isHostMunicipality: false }, 'comments.write') ? 'editor.canCommentShort' : 'editor.readOnlyShort';
}

/** Who is in the document now: one entry per person, however many tabs they have open. */
export function PresenceList({ presence, myUserId, sectionTitle }: { presence: Collab['presence']; myUserId: string; sectionTitle: (key: string) => string }) {
  const { t, lang } = useT();
  const people = new Map<string, Collab['presence'][number]>();
  for (const p of presence) {
    const known = people.get(p.userId);
    if (!known || (!known.section && p.section)) people.set(p.userId, p);
  }
  const list = [...people.values()].sort((a, b) => (a.userId === myUserId ? -1 : b.userId === myUserId ? 1 : a.name.localeCompare(b.name)));
  return (
    <section className="presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading" className="presence__heading">
        {t('editor.presenceHeading', { count: list.length })}
      </h2>
      <ul className="presence__list" data-testid="presence">
        {list.map((p) => (
          <li key={p.userId} className="presence__person" data-user-name={p.name}>
            <span className="presence__avatar" style={{ background: p.colour }} aria-hidden="true">
              {initials(p.name)}
            </span>
            <span className="presence__name">
              <bdi>{p.name}</bdi>
              {p.userId === myUserId ? ` (${t('editor.you')})` : ''}
              <span className="presence__meta">
                {municipalityName(p.municipality, lang)}
                {readOnlyLabelKey(p) ? ` · ${t(readOnlyLabelKey(p)!)}` : ''}
                {p.section ? ` · ${t('editor.editingIn', { title: sectionTitle(p.section) })}` : ''}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
