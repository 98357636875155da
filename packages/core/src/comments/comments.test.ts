import { createAnchor, fillSection, findInSection, sectionFragment, type DocumentLanguage } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, createThread, deleteComment, editComment, hideComment, listMentionable, listThreads, reopenThread, resolveThread } from './comments.ts';
import type { Actor } from '../shared/deps.ts';
import { loadDocumentState, makeDocumentBilingual } from '../documents/index.ts';
import { isDomainError } from '../shared/errors.ts';
import { readFeedAfter } from '../shared/feed.ts';
import { mentionToken } from './mentions.rules.ts';
import { listNotifications, markNotificationsRead } from './notifications.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, writeSection, type TestDeps } from '../testing.ts';

const PARTIES = ['Kajaanin kaupunki toimii vastuukuntana.', 'Sotkamon kunta osallistuu jäsenkuntana.'];

let t: TestDeps;
let agreement: string;
let rules: string;
let saaristoAgreement: string;
const as: Record<string, Actor> = {};

beforeEach(async () => {
  t = await createTestDeps();
  agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  rules = await documentIdOf(t.db, 'kainuu-koillismaa', 'administrative_rules');
  saaristoAgreement = await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement');
  for (const email of ['admin.kajaani', 'drafter.kajaani', 'drafter.sotkamo', 'rep.paltamo', 'secretary.kuhmo', 'viewer.kuhmo', 'admin.rantala']) {
    as[email] = await actorFor(t.deps, `${email}@sopu.example`);
  }
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', PARTIES));
});
afterEach(async () => {
  await t.cleanup();
});

/** The anchor of `quote` in a section of the stored document (in a language column), as the browser would send it. */
async function anchorOf(documentId: string, key: string, quote: string, lang?: DocumentLanguage) {
  const doc = await loadDocumentState(t.db, documentId);
  const range = findInSection(doc, key, quote, lang);
  expect(range, `"${quote}" in ${key}`).not.toBeNull();
  const anchor = createAnchor(doc, key, range!.from, range!.to, lang);
  doc.destroy();
  return anchor;
}

async function code(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
}

function textNode(doc: Y.Doc, key: string, paragraph: number): Y.XmlText {
  return (sectionFragment(doc, key).get(paragraph) as Y.XmlElement).get(0) as Y.XmlText;
}

describe('threads anchored to the text', () => {
  it('starts a thread on a selection: the server reads the quote from the document, not from the client', async () => {
    const anchor = await anchorOf(agreement, 'parties', 'vastuukuntana');
    const thread = await createThread(t.deps, as['drafter.sotkamo']!, agreement, { section: 'parties', body: 'Tarkennetaanko?', anchor, quote: 'forged quote' });
    expect(thread).toMatchObject({ section: 'parties', quote: 'vastuukuntana', status: 'open', anchorLost: false, anchor, createdBy: { name: 'Valmistelija Sotkamo', municipalityCode: '765' } });
    expect(thread.comments).toHaveLength(1);
    expect(thread.comments[0]).toMatchObject({ body: 'Tarkennetaanko?', deleted: false, editedAt: null, author: { municipalityCode: '765' } });
    expect(await listThreads(t.deps, as['viewer.kuhmo']!, agreement)).toEqual([{ ...thread, canReply: false, canResolve: false, comments: thread.comments.map((c) => ({ ...c, canEdit: false, canDelete: false })) }]);
  });

  it('stays on its text while others edit before and after it, and says "text removed" when the text is deleted', async () => {
    const anchor = await anchorOf(agreement, 'parties', 'vastuukuntana');
    const thread = await createThread(t.deps, as['drafter.sotkamo']!, agreement, { section: 'parties', body: 'Tämä kohta.', anchor });
    await changeDocument(t.db, agreement, (doc) => {
      textNode(doc, 'parties', 0).insert(0, 'Ensin: ');
      textNode(doc, 'parties', 0).insert(textNode(doc, 'parties', 0).length, ' Lisäys loppuun.');
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Uusi ensimmäinen kappale.')]);
      sectionFragment(doc, 'parties').insert(0, [paragraph]);
    });
    const [moved] = await listThreads(t.deps, as['drafter.kajaani']!, agreement);
    expect(moved).toMatchObject({ id: thread.id, anchorLost: false, quote: 'vastuukuntana' });
    // The anchor still selects exactly that word in the edited text.
    const doc = await loadDocumentState(t.db, agreement);
    const { resolveAnchor, anchorBytes } = await import('@sopu/doc-model');
    expect(resolveAnchor(doc, 'parties', { from: anchorBytes(anchor.from)!, to: anchorBytes(anchor.to)! })?.text).toBe('vastuukuntana');
    doc.destroy();

    await changeDocument(t.db, agreement, (d) => {
      const text = textNode(d, 'parties', 1);
      const at = text.toString().indexOf('vastuukuntana');
      text.delete(at, 'vastuukuntana'.length);
    });
    const [lost] = await listThreads(t.deps, as['drafter.kajaani']!, agreement);
    expect(lost).toMatchObject({ id: thread.id, anchorLost: true, quote: 'vastuukuntana', status: 'open' });
  });

  it('comments on a whole section without an anchor, and refuses anchors that select nothing of that section', async () => {
    const whole = await createThread(t.deps, as['rep.paltamo']!, agreement, { section: 'purpose', body: 'Tarkoitus puuttuu vielä.' });
    expect(whole).toMatchObject({ section: 'purpose', quote: '', anchor: null, anchorLost: false });
    const before = await tableCounts(t.db);
    const elsewhere = await anchorOf(agreement, 'parties', 'Sotkamon');
    for (const input of [
      { section: 'purpose', body: 'x', anchor: elsewhere },
      { section: 'parties', body: 'x', anchor: { from: 'not base64!', to: elsewhere.to } },
      { section: 'parties', body: 'x', anchor: { from: elsewhere.to, to: elsewhere.to } },
      { section: 'parties', body: 'x', anchor: { from: 'AAAA', to: 'AAAA' } },
      { section: 'no_such_section', body: 'x' },
      { section: 'parties', body: '   ' },
      { section: 'parties', body: 'x'.repeat(10_001) },
      { section: 'parties' },
      null,
    ]) {
      expect(await code(createThread(t.deps, as['drafter.sotkamo']!, agreement, input)), JSON.stringify(input)?.slice(0, 80)).toBe('invalid_input');
    }
    expect(await tableCounts(t.db)).toEqual(before);
    // 10,000 characters is the limit, not more; control characters go, line breaks stay.
    const long = await createThread(t.deps, as['drafter.sotkamo']!, agreement, { section: 'parties', body: `${'x'.repeat(9_997)}\r\na\u0000b` });
    expect(long.comments[0]!.body).toBe(`${'x'.repeat(9_997)}\nab`);
  });

  it('stores markup as plain text: what the UI renders as text is exactly what was written', async () => {
    const body = '<img src=x onerror=alert(1)> <script>alert(2)</script> javascript:alert(3) [x](javascript:alert(4))';
    const thread = await createThread(t.deps, as['drafter.sotkamo']!, agreement, { section: 'parties', body });
    expect(thread.comments[0]!.body).toBe(body);
  });
});

describe('who may do what', () => {
  it('lets every member but viewers comment, on the agreement and on the administrative rules', async () => {
    for (const who of ['admin.kajaani', 'drafter.sotkamo', 'rep.paltamo', 'secretary.kuhmo']) {
      for (const doc of [agreement, rules]) {
        const section = doc === agreement ? 'parties' : 'scope';
        expect(await code(createThread(t.deps, as[who]!, doc, { section, body: `${who} kommentoi` })), who).toBe('ok');
      }
    }
    const thread = (await listThreads(t.deps, as['viewer.kuhmo']!, agreement))[0]!;
    expect(await code(createThread(t.deps, as['viewer.kuhmo']!, agreement, { section: 'parties', body: 'x' }))).toBe('forbidden');
    expect(await code(addComment(t.deps, as['viewer.kuhmo']!, thread.id, { body: 'x' }))).toBe('forbidden');
  });

  it('lets only the author edit (marked edited) or delete (shown as deleted); the host admin hides with a reason', async () => {
    const thread = await createThread(t.deps, as['drafter.sotkamo']!, agreement, { section: 'parties', body: 'Alkuperäinen.' });
    const comment = thread.comments[0]!;
    expect(await code(editComment(t.deps, as['drafter.kajaani']!, comment.id, { body: 'Toisen muokkaus' }))).toBe('forbidden');
    expect(await code(editComment(t.deps, as['admin.kajaani']!, comment.id, { body: 'Ylläpitäjän muokkaus' }))).toBe('forbidden');
    expect(await code(deleteComment(t.deps, as['admin.kajaani']!, comment.id))).toBe('forbidden');
    t.clock.advance(60_000);
    const edited = await editComment(t.deps, as['drafter.sotkamo']!, comment.id, { body: 'Korjattu.' });
    expect(edited).toMatchObject({ body: 'Korjattu.', editedAt: t.clock.now() });

    const reply = await addComment(t.deps, as['rep.paltamo']!, thread.id, { body: 'Asiaton kommentti.' });
    expect(await code(hideComment(t.deps, as['drafter.kajaani']!, reply.id, { reason: 'x' }))).toBe('forbidden');
    expect(await code(hideComment(t.deps, as['admin.kajaani']!, reply.id, { reason: '' }))).toBe('invalid_input');
    const hidden = await hideComment(t.deps, as['admin.kajaani']!, reply.id, { reason: 'Henkilötietoja.' });
    expect(hidden).toMatchObject({ body: '', hidden: { by: 'Pääkäyttäjä Kajaani', reason: 'Henkilötietoja.' }, canEdit: false });
    expect(await code(editComment(t.deps, as['rep.paltamo']!, reply.id, { body: 'uudestaan' }))).toBe('conflict');

    await deleteComment(t.deps, as['drafter.sotkamo']!, comment.id);
    const [after] = await listThreads(t.deps, as['drafter.kajaani']!, agreement);
    expect(after!.comments.map((c) => ({ body: c.body, deleted: c.deleted, hidden: Boolean(c.hidden) }))).toEqual([
      { body: '', deleted: true, hidden: false },
      { body: '', deleted: false, hidden: true },
    ]);
    const stored = await t.db.selectFrom('comments').select(['body']).where('id', '=', comment.id).executeTakeFirstOrThrow();
    expect(stored.body).toBe('');
    const actions = (await t.db.selectFrom('audit_events').select('action').where('subject_id', 'in', [thread.id, comment.id, reply.id]).orderBy('seq').execute()).map((e) => e.action);
    expect(actions).toEqual(['thread.created', 'comment.edited', 'comment.created', 'comment.hidden', 'comment.deleted']);
  });

  it("resolves and reopens: the thread's author, any drafter, or the host admin; nobody else", async () => {
    const thread = await createThread(t.deps, as['rep.paltamo']!, agreement, { section: 'parties', body: 'Kysymys.' });
    expect(await code(resolveThread(t.deps, as['secretary.kuhmo']!, thread.id))).toBe('forbidden');
    expect(await code(resolveThread(t.deps, as['viewer.kuhmo']!, thread.id))).toBe('forbidden');
    for (const who of ['rep.paltamo', 'drafter.sotkamo', 'admin.kajaani']) {
      const resolved = await resolveThread(t.deps, as[who]!, thread.id);
      expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: { id: as[who]!.userId } });
      expect(await reopenThread(t.deps, as[who]!, thread.id)).toMatchObject({ status: 'open', resolvedBy: null });
    }
    const actions = (await t.db.selectFrom('audit_events').select('action').where('subject_id', '=', thread.id).orderBy('seq').execute()).map((e) => e.action);
    expect(actions.filter((a) => a === 'thread.resolved')).toHaveLength(3);
  });

  it("answers another area's document, thread and comment ids exactly like missing ones, and changes nothing", async () => {
    const foreign = await createThread(t.deps, as['admin.rantala']!, saaristoAgreement, { section: 'parties', body: 'Skärgårdens tråd.' });
    const before = await tableCounts(t.db);
    const kajaani = as['admin.kajaani']!;
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['list', () => listThreads(t.deps, kajaani, saaristoAgreement)],
      ['mentionable', () => listMentionable(t.deps, kajaani, saaristoAgreement)],
      ['create', () => createThread(t.deps, kajaani, saaristoAgreement, { section: 'parties', body: 'x' })],
      ['reply', () => addComment(t.deps, kajaani, foreign.id, { body: 'x' })],
      ['edit', () => editComment(t.deps, kajaani, foreign.comments[0]!.id, { body: 'x' })],
      ['delete', () => deleteComment(t.deps, kajaani, foreign.comments[0]!.id)],
      ['hide', () => hideComment(t.deps, kajaani, foreign.comments[0]!.id, { reason: 'x' })],
      ['resolve', () => resolveThread(t.deps, kajaani, foreign.id)],
    ];
    for (const [name, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(isDomainError(error) && error.code, name).toBe('not_found');
    }
    const missing = await listThreads(t.deps, kajaani, '00000000-0000-0000-0000-000000000000').catch((e: unknown) => e);
    const other = await listThreads(t.deps, kajaani, saaristoAgreement).catch((e: unknown) => e);
    expect(String(missing)).toBe(String(other));
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('mentions and notifications', () => {
  it('notifies the members a comment mentions (once, never the writer), shows names, and lets them mark it read', async () => {
    const sotkamo = as['drafter.sotkamo']!;
    const paltamo = as['rep.paltamo']!;
    const outsider = as['admin.rantala']!;
    const body = `${mentionToken(paltamo.userId)} ja ${mentionToken(paltamo.userId)}, katsotko? Myös ${mentionToken(sotkamo.userId)} ja ${mentionToken(outsider.userId)}.`;
    const thread = await createThread(t.deps, sotkamo, agreement, { section: 'parties', body });
    expect(thread.comments[0]!.mentions.map((m) => m.id)).toEqual([paltamo.userId, sotkamo.userId]);
    const list = await listNotifications(t.deps, paltamo);
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ kind: 'mention', threadId: thread.id, actor: { name: 'Valmistelija Sotkamo' }, area: { slug: 'kainuu-koillismaa' }, document: { id: agreement } });
    expect(list.items[0]!.excerpt).toContain('@Edustaja Paltamo ja @Edustaja Paltamo, katsotko?');
    expect((await listNotifications(t.deps, sotkamo)).unread).toBe(0);
    expect((await listNotifications(t.deps, outsider)).unread).toBe(0);

    // An edit notifies only the newly mentioned.
    const kuhmo = as['secretary.kuhmo']!;
    await editComment(t.deps, sotkamo, thread.comments[0]!.id, { body: `${body} ${mentionToken(kuhmo.userId)}` });
    expect((await listNotifications(t.deps, paltamo)).unread).toBe(1);
    expect((await listNotifications(t.deps, kuhmo)).unread).toBe(1);

    expect(await markNotificationsRead(t.deps, paltamo, { ids: [list.items[0]!.id, (await listNotifications(t.deps, kuhmo)).items[0]!.id] })).toBe(1);
    expect((await listNotifications(t.deps, paltamo)).unread).toBe(0);
    expect((await listNotifications(t.deps, kuhmo)).unread).toBe(1);
    expect(await markNotificationsRead(t.deps, kuhmo, {})).toBe(1);
    expect(await code(markNotificationsRead(t.deps, kuhmo, { ids: 'all' }))).toBe('invalid_input');
  });

  it('writes every change to the feed: the thread for the document, notifications for the person', async () => {
    const paltamo = as['rep.paltamo']!;
    const thread = await createThread(t.deps, as['drafter.sotkamo']!, agreement, { section: 'parties', body: `${mentionToken(paltamo.userId)} ?` });
    await resolveThread(t.deps, as['drafter.kajaani']!, thread.id);
    const events = await readFeedAfter(t.db, 0);
    expect(events.map((e) => [e.kind, e.documentId, e.userId, e.kind === 'thread' ? e.subjectId : 'n'])).toEqual([
      ['notification', null, paltamo.userId, 'n'],
      ['thread', agreement, null, thread.id],
      ['thread', agreement, null, thread.id],
    ]);
  });
});

describe('threads on a bilingual document (decision 026)', () => {
  const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

  it('name the language column they are on; the quote is read from that column', async () => {
    await changeDocument(t.db, saaristoAgreement, (doc) => fillSection(doc, 'parties', paragraph('Parter är Strandvik, Holmby och Saarela.')));
    // In one language a thread names no column, and may not claim one.
    expect((await createThread(t.deps, as['admin.rantala']!, saaristoAgreement, { section: 'parties', body: 'Bra.' })).language).toBeNull();
    const counts = await tableCounts(t.db);
    expect(await code(createThread(t.deps, as['admin.rantala']!, saaristoAgreement, { section: 'parties', body: 'Hyvä.', language: 'fi' }))).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(counts);

    await makeDocumentBilingual(t.deps, as['admin.rantala']!, saaristoAgreement);
    await changeDocument(t.db, saaristoAgreement, (doc) => fillSection(doc, 'parties', paragraph('Osapuolet ovat Rantala, Holmpy ja Saarela.'), 'fi'));
    const finnish = await createThread(t.deps, as['admin.rantala']!, saaristoAgreement, { section: 'parties', body: 'Rantala on kaupunki.', language: 'fi', anchor: await anchorOf(saaristoAgreement, 'parties', 'Rantala, Holmpy', 'fi') });
    expect(finnish).toMatchObject({ language: 'fi', quote: 'Rantala, Holmpy', anchorLost: false });
    // Without a language, the main one (Swedish here).
    const swedish = await createThread(t.deps, as['admin.rantala']!, saaristoAgreement, { section: 'parties', body: 'Strandvik är en stad.', anchor: await anchorOf(saaristoAgreement, 'parties', 'Strandvik', 'sv') });
    expect(swedish).toMatchObject({ language: 'sv', quote: 'Strandvik' });
    // An anchor in the Swedish text does not select text of the Finnish column.
    expect(await code(createThread(t.deps, as['admin.rantala']!, saaristoAgreement, { section: 'parties', body: 'x', language: 'fi', anchor: await anchorOf(saaristoAgreement, 'parties', 'Strandvik', 'sv') }))).toBe('invalid_input');
    expect(await code(createThread(t.deps, as['admin.rantala']!, saaristoAgreement, { section: 'parties', body: 'x', language: 'en' }))).toBe('invalid_input');
    const listed = await listThreads(t.deps, as['admin.rantala']!, saaristoAgreement);
    expect(listed.map((th) => [th.language, th.quote, th.anchorLost])).toEqual([[null, '', false], ['fi', 'Rantala, Holmpy', false], ['sv', 'Strandvik', false]]);
  });
});
