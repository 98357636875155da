import { saveVersion } from '@sopu/core';
import { actorFor, changeDocument, documentIdOf, sessionTokenFor, tableCounts, writeSection } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, url } from './testing.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';

let t: Awaited<ReturnType<typeof createTestApp>>;
let agreement: string;
let saaristoAgreement: string;
let requestId: string;
let saaristoRequestId: string;
const cookies: Record<string, string> = {};
const WHO = ['admin.kajaani', 'drafter.sotkamo', 'rep.paltamo', 'secretary.kuhmo', 'secretary.sotkamo', 'viewer.kuhmo', 'admin.rantala', 'secretary.holmpy'] as const;
type Who = (typeof WHO)[number];

/** Who calls: a person (their session cookie), raw headers, or nobody. */
type Caller = Who | { headers: Record<string, string> } | null;

const call = (method: string, path: string, who: Caller, body?: unknown) =>
  t.app.request(url(path), {
    method,
    headers: {
      ...(typeof who === 'string' ? { cookie: cookies[who]! } : (who?.headers ?? {})),
      ...(method === 'GET' ? {} : { origin: ORIGIN }),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function sendVersion(documentId: string, admin: 'admin.kajaani' | 'admin.rantala', text: string): Promise<{ id: string; version: number; hash: string }> {
  await changeDocument(t.db, documentId, (doc) => writeSection(doc, 'parties', [text]));
  const v = await saveVersion(t.deps, await actorFor(t.deps, `${admin}@sopu.example`), documentId, { label: 'Valtuustoille' });
  t.clock.advance(1000);
  const res = await call('POST', `/documents/${documentId}/approval-requests`, admin, { version: v.number });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; version: number; hash: string };
}

/** Sessions follow the test clock: sign everyone in (again, after the clock moved past their idle timeout). */
async function signIn() {
  for (const who of WHO) cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
}

// The versions go out on 16.11.2026; the councils' decisions (20.11.) are recorded on 28.11.
const SENT = Date.UTC(2026, 10, 16, 8, 0, 0);
const NOV_28 = Date.UTC(2026, 10, 28, 8, 0, 0);

beforeEach(async () => {
  t = await createTestApp({ now: SENT });
  agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
  saaristoAgreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
  await signIn();
  requestId = (await sendVersion(agreement, 'admin.kajaani', 'Kajaani on vastuukunta.')).id;
  saaristoRequestId = (await sendVersion(saaristoAgreement, 'admin.rantala', 'Strandvik är ansvarig kommun.')).id;
  t.clock.set(NOV_28);
  await signIn();
});
afterEach(async () => {
  await t.cleanup();
});

interface OverviewJson {
  documentId: string;
  inForce: boolean;
  inForceHash: string | null;
  currentMatchesInForce: boolean;
  summary: { fi: string; sv: string; en: string };
  requests: Array<{ id: string; version: number; hash: string; status: string; decisions: Array<{ municipalityCode: string; state: string; meetingDate: string | null; decisionDate: string | null; minutesSection: string | null; minutesUrl: string | null; note: string | null; coversCurrentText: boolean; recordedVia: string | null }> }>;
}

const approved = (code: string, section = '45 §') => ({ municipalityCode: code, state: 'approved', decisionDate: '2026-11-20', minutesSection: section });

describe('sending for approval', () => {
  it('the host admin sends a version: 201 with id, version and hash; the approvals list it open, every council pending', async () => {
    const sent = await sendVersion(agreement, 'admin.kajaani', 'Kajaani on vastuukunta ja isäntäkunta.');
    expect(sent).toMatchObject({ version: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/), id: expect.any(String) });
    const res = await call('GET', `/areas/${KAINUU}/approvals`, 'viewer.kuhmo');
    expect(res.status).toBe(200);
    const o = (await res.json()) as OverviewJson;
    expect(o.documentId).toBe(agreement);
    expect(o.requests.map((r) => [r.version, r.status])).toEqual([[2, 'open'], [1, 'superseded']]);
    expect(o.requests[0]!.decisions).toHaveLength(10);
    expect(o.requests[0]!.decisions.every((d) => d.state === 'pending' && d.coversCurrentText)).toBe(true);
    expect(o.summary.fi).toMatch(/^Ei voimassa: 0\/10 hyväksyi version 2; /);
  });

  it('a member rep, a drafter and a council secretary trying to send get 403, whatever they send; nothing changes', async () => {
    const before = await tableCounts(t.db);
    for (const who of ['rep.paltamo', 'drafter.sotkamo', 'secretary.kuhmo'] as const) {
      for (const body of [{ version: 1 }, 'not json', []]) {
        const res = await call('POST', `/documents/${agreement}/approval-requests`, who, body);
        expect(res.status, `${who} ${JSON.stringify(body)}`).toBe(403);
      }
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('400 for a version that does not exist, 409 for the one already out', async () => {
    expect((await call('POST', `/documents/${agreement}/approval-requests`, 'admin.kajaani', { version: 7 })).status).toBe(400);
    expect((await call('POST', `/documents/${agreement}/approval-requests`, 'admin.kajaani', { version: 1 })).status).toBe(409);
  });
});

describe('recording council decisions', () => {
  it("the secretary records their council's decision (201), the same again changes nothing (200), the matrix shows it", async () => {
    const res = await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', { ...approved('290', '§ 45'), minutesUrl: 'https://kuhmo.fi/pk/45' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ approvalRequestId: requestId, recorded: true, decision: { municipalityCode: '290', state: 'approved', minutesSection: '45 §', decisionDate: '2026-11-20', meetingDate: '2026-11-20', recordedVia: 'member' } });
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', { ...approved('290'), minutesUrl: 'https://kuhmo.fi/pk/45' })).status).toBe(200);
    // Not the same step (the link left out): a change to an approved decision, which only the host admin makes.
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', approved('290'))).status).toBe(403);
    const o = (await (await call('GET', `/areas/${KAINUU}/approvals`, 'viewer.kuhmo')).json()) as OverviewJson;
    expect(o.requests[0]!.decisions.find((d) => d.municipalityCode === '290')).toMatchObject({ state: 'approved', minutesUrl: 'https://kuhmo.fi/pk/45', recordedVia: 'member' });
  });

  it("a Kuhmo secretary recording Sotkamo's decision gets 403, and so does a drafter or a rep; nothing changes", async () => {
    const before = await tableCounts(t.db);
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', approved('765'))).status).toBe(403);
    for (const who of ['drafter.sotkamo', 'rep.paltamo', 'viewer.kuhmo'] as const) {
      expect((await call('POST', `/approval-requests/${requestId}/decisions`, who, approved('765'))).status, who).toBe(403);
      expect((await call('POST', `/approval-requests/${requestId}/decisions`, who, '[]')).status, who).toBe(403);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    // The host admin may, on Sotkamo's behalf.
    const res = await call('POST', `/approval-requests/${requestId}/decisions`, 'admin.kajaani', approved('765'));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ decision: { recordedVia: 'on_behalf' } });
  });

  it('400 before_sent for a decision dated before its request was sent, by session or token; nothing changes', async () => {
    const issued = await call('POST', `/areas/${KAINUU}/approval-tokens`, 'admin.kajaani', { municipalityCode: '290', label: 'Kuhmo' });
    const { token } = (await issued.json()) as { token: string };
    const before = await tableCounts(t.db);
    for (const who of ['secretary.kuhmo', bearer(token)] as const) {
      const res = await call('POST', `/approval-requests/${requestId}/decisions`, who, { ...approved('290'), decisionDate: '2026-11-15' });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'invalid_input',
          message: 'decisionDate: the decision is dated before version 1 was sent to the councils (2026-11-16)',
          issues: [{ path: ['decisionDate'], code: 'before_sent', message: 'the decision is dated before version 1 was sent to the councils (2026-11-16)', params: { version: 1, sentOn: '2026-11-16' } }],
        },
      });
    }
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', { ...approved('290'), decisionDate: '2026-11-16' })).status).toBe(201);
  });

  it('400 with the problems named for bad fields; 409 for a transition that does not exist on a superseded request', async () => {
    const res = await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', { municipalityCode: '290', state: 'approved', decisionDate: '2026-13-01', minutesUrl: 'javascript:alert(1)' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: Array<{ path: string[] }> } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.issues.map((i) => i.path.join('.'))).toEqual(['decisionDate', 'minutesSection', 'minutesUrl']);
    await sendVersion(agreement, 'admin.kajaani', 'Uusi teksti.');
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-14' })).status).toBe(409);
  });
});

describe('from approved to in force', () => {
  it('every council approves: the request closes; finality and the entry-into-force setting; in force only once final and the day has come', async () => {
    const all = ['205', '290', '578', '620', '697', '765', '777', '105', '305', '832'];
    for (const code of all) expect((await call('POST', `/approval-requests/${requestId}/decisions`, 'admin.kajaani', approved(code))).status, code).toBe(201);
    let o = (await (await call('GET', `/areas/${KAINUU}/approvals`, 'viewer.kuhmo')).json()) as OverviewJson & { approvedText: Record<string, unknown> | null; entryIntoForce: string | null; requests: Array<{ closedAt: string | null }> };
    expect(o).toMatchObject({ inForce: false, inForceHash: null, entryIntoForce: null, approvedText: { version: 1, approvedOn: '2026-11-20', finalOn: null, inForceFrom: null, inForce: false }, requests: [{ status: 'closed', closedAt: new Date(t.clock.now()).toISOString() }] });
    expect(o.summary.en).toMatch(/^Not yet in force: all 10 councils approved version 1 \([0-9a-f]{4}…\) on 20\.11\.; final 0\/10; /);

    // The host admin sets the date the agreement states; others may not.
    expect((await call('PUT', `/areas/${KAINUU}/settings/entry-into-force`, 'secretary.kuhmo', { date: '2027-01-01' })).status).toBe(403);
    expect((await call('PUT', `/areas/${KAINUU}/settings/entry-into-force`, 'admin.kajaani', { date: '2027-01-01T00:00:00Z' })).status).toBe(400);
    const set = await call('PUT', `/areas/${KAINUU}/settings/entry-into-force`, 'admin.kajaani', { date: '2027-01-01' });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { entryIntoForce: unknown[] }).entryIntoForce).toEqual([{ documentId: agreement, kind: 'cooperation_agreement', title: expect.any(String), date: '2027-01-01' }]);

    // Each decision becomes final (its secretary, the host admin on the others' behalf).
    const final = await call('POST', `/approval-requests/${requestId}/decisions`, 'secretary.kuhmo', { municipalityCode: '290', state: 'final', finalDate: '2026-11-27' });
    expect(final.status).toBe(201);
    expect(await final.json()).toMatchObject({ decision: { state: 'final', decisionDate: '2026-11-20', minutesSection: '45 §', finalDate: '2026-11-27', signedDate: null, signatory: null } });
    const early = await call('POST', `/approval-requests/${requestId}/decisions`, 'admin.kajaani', { municipalityCode: '205', state: 'final', finalDate: '2026-11-20' });
    expect(early.status).toBe(400);
    expect(((await early.json()) as { error: { issues: Array<{ code: string }> } }).error.issues).toMatchObject([{ path: ['finalDate'], code: 'not_after_decision' }]);
    for (const code of all.filter((c) => c !== '290')) expect((await call('POST', `/approval-requests/${requestId}/decisions`, 'admin.kajaani', { municipalityCode: code, state: 'final', finalDate: '2026-11-28' })).status, code).toBe(201);
    o = (await (await call('GET', `/areas/${KAINUU}/approvals`, 'viewer.kuhmo')).json()) as typeof o;
    expect(o).toMatchObject({ inForce: false, entryIntoForce: '2027-01-01', approvedText: { finalOn: '2026-11-28', inForceFrom: '2027-01-01', inForce: false } });
    expect(o.summary.fi).toMatch(/, päätökset lainvoimaisia 28\.11\.; tulee voimaan 1\.1\.2027$/);

    t.clock.set(Date.parse('2027-01-01T08:00:00Z'));
    await signIn();
    o = (await (await call('GET', `/areas/${KAINUU}/approvals`, 'viewer.kuhmo')).json()) as typeof o;
    expect(o).toMatchObject({ inForce: true, inForceVersion: 1, inForceSince: '2027-01-01', approvedText: { inForce: true } });
    expect(o.summary.fi).toMatch(/^Voimassa 1\.1\.2027 alkaen: kaikki 10 valtuustoa hyväksyivät version 1 /);
  });
});

describe('across areas', () => {
  it("another area's request, document, approvals and tokens answer 404, byte for byte as ids that do not exist", async () => {
    const missing = crypto.randomUUID();
    const pairs: Array<[string, string, string, unknown]> = [
      ['POST', `/approval-requests/${saaristoRequestId}/decisions`, `/approval-requests/${missing}/decisions`, approved('902')],
      ['POST', `/documents/${saaristoAgreement}/approval-requests`, `/documents/${missing}/approval-requests`, { version: 1 }],
      ['GET', `/areas/${SAARISTO}/approvals`, '/areas/no-such-area/approvals', undefined],
      ['GET', `/areas/${KAINUU}/approvals?document=${saaristoAgreement}`, `/areas/${KAINUU}/approvals?document=${missing}`, undefined],
      ['GET', `/areas/${SAARISTO}/approval-tokens`, '/areas/no-such-area/approval-tokens', undefined],
      ['POST', `/areas/${SAARISTO}/approval-tokens`, '/areas/no-such-area/approval-tokens', { municipalityCode: '902', label: 'x' }],
    ];
    const before = await tableCounts(t.db);
    for (const who of ['admin.kajaani', 'secretary.kuhmo'] as const) {
      for (const [method, foreignPath, missingPath, body] of pairs) {
        const a = await call(method, foreignPath, who, body);
        const b = await call(method, missingPath, who, body);
        expect(a.status, `${who} ${method} ${foreignPath}`).toBe(404);
        expect(b.status).toBe(404);
        const text = await a.text();
        expect(text, `${who} ${method} ${foreignPath}`).toBe(await b.text());
        for (const word of ['Rantala', 'Strandvik', 'Holmpy', 'Holmby', 'Saarela', SAARISTO]) expect(text).not.toContain(word);
      }
    }
    const saaristoToken = (await (await call('POST', `/areas/${SAARISTO}/approval-tokens`, 'admin.rantala', { municipalityCode: '902', label: 'Holmby' })).json()) as { id: string };
    const a = await call('DELETE', `/approval-tokens/${saaristoToken.id}`, 'admin.kajaani');
    const b = await call('DELETE', `/approval-tokens/${missing}`, 'admin.kajaani');
    expect([a.status, b.status]).toEqual([404, 404]);
    expect(await a.text()).toBe(await b.text());
    const counts = await tableCounts(t.db);
    expect({ ...counts, api_tokens: counts.api_tokens - 1, audit_events: counts.audit_events - 1 }).toEqual({ ...before, sessions: counts.sessions });
  });

  it('the overview is refused to nobody (401) and shown to every member', async () => {
    expect((await call('GET', `/areas/${KAINUU}/approvals`, null)).status).toBe(401);
    for (const who of ['admin.kajaani', 'drafter.sotkamo', 'rep.paltamo', 'secretary.kuhmo', 'viewer.kuhmo'] as const) expect((await call('GET', `/areas/${KAINUU}/approvals`, who)).status, who).toBe(200);
  });
});

describe('approval tokens', () => {
  async function issue(code: string): Promise<{ id: string; token: string }> {
    const res = await call('POST', `/areas/${KAINUU}/approval-tokens`, 'admin.kajaani', { municipalityCode: code, label: `Asianhallinta ${code}` });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; token: string };
  }

  it("the host admin issues a token (201, secret once); the municipality's system records its own decisions; the list never shows the secret", async () => {
    const { id, token } = await issue('765');
    expect(token).toMatch(/^sopu_at_/);
    const info = await call('GET', '/approval-token', bearer(token));
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ areaSlug: KAINUU, municipalityCode: '765', openRequests: [{ id: requestId, documentId: agreement, version: 1, decision: { state: 'pending' } }] });
    const scheduled = await call('POST', `/approval-requests/${requestId}/decisions`, bearer(token), { municipalityCode: '765', state: 'scheduled', meetingDate: '2026-12-14' });
    expect(scheduled.status).toBe(201);
    expect(await scheduled.json()).toMatchObject({ decision: { state: 'scheduled', recordedVia: 'token' } });
    const decided = await call('POST', `/approval-requests/${requestId}/decisions`, bearer(token), approved('765', '101'));
    expect(decided.status).toBe(201);
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, bearer(token), approved('765', '101'))).status).toBe(200);
    const list = await call('GET', `/areas/${KAINUU}/approval-tokens`, 'admin.kajaani');
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(token.slice(8));
    expect(JSON.parse(text)).toMatchObject([{ id, municipalityCode: '765', revokedAt: null, lastUsedAt: expect.any(String) }]);
    // Without a cookie and without an Origin: a system is not a browser.
    expect((await t.app.request(url(`/approval-requests/${requestId}/decisions`), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(approved('765', '101')) })).status).toBe(200);
  });

  it("a token may not record another municipality's decision (403) nor another area's (404, as a missing request)", async () => {
    const { token } = await issue('765');
    const before = await tableCounts(t.db);
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, bearer(token), approved('290'))).status).toBe(403);
    const a = await call('POST', `/approval-requests/${saaristoRequestId}/decisions`, bearer(token), approved('902'));
    const b = await call('POST', `/approval-requests/${crypto.randomUUID()}/decisions`, bearer(token), approved('902'));
    expect([a.status, b.status]).toEqual([404, 404]);
    expect(await a.text()).toBe(await b.text());
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a revoked or made-up token is 401; only the host admin issues, lists and revokes', async () => {
    const { id, token } = await issue('765');
    for (const who of ['secretary.sotkamo', 'drafter.sotkamo'] as const) {
      expect((await call('POST', `/areas/${KAINUU}/approval-tokens`, who, { municipalityCode: '765', label: 'x' })).status, who).toBe(403);
      expect((await call('GET', `/areas/${KAINUU}/approval-tokens`, who)).status, who).toBe(403);
      expect((await call('DELETE', `/approval-tokens/${id}`, who)).status, who).toBe(403);
    }
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, bearer(`${token}0`), approved('765'))).status).toBe(401);
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, bearer('sopu_at_'), approved('765'))).status).toBe(401);
    expect((await call('DELETE', `/approval-tokens/${id}`, 'admin.kajaani')).status).toBe(204);
    expect((await call('DELETE', `/approval-tokens/${id}`, 'admin.kajaani')).status).toBe(204);
    const before = await tableCounts(t.db);
    const res = await call('POST', `/approval-requests/${requestId}/decisions`, bearer(token), approved('765'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect((await call('GET', '/approval-token', bearer(token))).status).toBe(401);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a token never works as a session, and a session never as a token', async () => {
    const { token } = await issue('765');
    const asSession = [
      ['GET', '/me'],
      ['GET', `/areas/${KAINUU}`],
      ['GET', `/areas/${KAINUU}/approvals`],
      ['GET', `/areas/${KAINUU}/approval-tokens`],
      ['GET', `/documents/${agreement}/threads`],
      ['POST', `/documents/${agreement}/approval-requests`],
      ['DELETE', '/session'],
    ] as const;
    for (const [method, path] of asSession) {
      expect((await call(method, path, bearer(token), method === 'POST' ? { version: 1 } : undefined)).status, `${method} ${path}`).toBe(401);
      // Nor as a cookie.
      expect((await call(method, path, { headers: { cookie: cookieHeader(token) } }, method === 'POST' ? { version: 1 } : undefined)).status, `${method} ${path} (cookie)`).toBe(401);
    }
    const session = await sessionTokenFor(t.deps, 'secretary.sotkamo@sopu.example');
    expect((await call('GET', '/approval-token', bearer(session))).status).toBe(401);
    expect((await call('GET', '/approval-token', { headers: { cookie: cookieHeader(session) } })).status).toBe(401);
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, bearer(`sopu_at_${session}`), approved('765'))).status).toBe(401);
    // A session is still a session on the decisions route: the secretary's own, as a bearer.
    expect((await call('POST', `/approval-requests/${requestId}/decisions`, bearer(session), approved('765'))).status).toBe(201);
  });
});

describe('the OpenAPI document', () => {
  it('names the parameters after their tables and declares who may call', async () => {
    const doc = (await (await t.app.request(url('/openapi.json'))).json()) as { paths: Record<string, Record<string, { 'x-sopu-access'?: unknown; parameters?: Array<{ name: string; in: string }> }>> };
    expect(doc.paths['/documents/{documentId}/approval-requests']?.post?.['x-sopu-access']).toEqual({ area: 'approvals.send' });
    expect(doc.paths['/areas/{slug}/approvals']?.get?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['path:slug', 'query:document', 'query:format']);
    expect(doc.paths['/approval-requests/{approvalRequestId}/decisions']?.post?.['x-sopu-access']).toEqual({ area: 'approvals.record', own: true });
    expect(doc.paths['/approval-tokens/{apiTokenId}']?.delete?.['x-sopu-access']).toEqual({ area: 'approvals.tokens' });
  });
});
