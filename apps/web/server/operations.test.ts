import { createLogger } from '@sopu/telemetry';
import { latestMigrationName } from '@sopu/db';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieFor, requestWithHost, startTestSopu, type TestSopu } from './test-server.ts';

// Health, metrics and logs of the assembled server (docs/decisions/028): what a proxy and an operator read, and what
// an outsider must not.

const TOKEN = 'metrics-token-0123456789-abcdefghijklmnop';
const lines: string[] = [];
const sink = { write: (line: string) => void lines.push(line) };
const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

let s: TestSopu;
let trusting: TestSopu;
beforeAll(async () => {
  const log = createLogger({ name: 'web', level: 'info', out: sink, err: sink });
  s = await startTestSopu({ METRICS_TOKEN: TOKEN, SEED_DEMO: 'true' }, { log });
  trusting = await startTestSopu({ TRUST_PROXY: 'true', SEED_DEMO: 'true' }, { log });
}, 180_000);
afterAll(async () => {
  await s?.stop();
  await trusting?.stop();
});

describe('health', () => {
  it('live and ready answer a word, to any Host (a proxy checks by address), and nothing else about the process', async () => {
    for (const host of ['127.0.0.1', 'attacker.example', '10.0.0.7:8080']) {
      const live = await requestWithHost(s.base, '/health/live', host);
      expect([live.status, live.text]).toEqual([200, '{"status":"live"}']);
      const ready = await requestWithHost(s.base, '/health/ready', host);
      expect([ready.status, ready.text]).toEqual([200, '{"status":"ready"}']);
      expect(ready.headers['cache-control']).toBe('no-store');
    }
  });

  it('ready only while the database answers migrated to the newest migration this code knows', async () => {
    const latest = latestMigrationName();
    const row = await s.sopu.deps.db.selectFrom('kysely_migration' as never).selectAll().where('name' as never, '=', latest as never).executeTakeFirstOrThrow();
    await s.sopu.deps.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', latest as never).execute();
    try {
      const ready = await fetch(`${s.base}/health/ready`);
      expect([ready.status, await ready.text()]).toEqual([503, '{"status":"not ready"}']);
      // Alive all the same: a proxy must not restart a process that waits for its database.
      expect((await fetch(`${s.base}/health/live`)).status).toBe(200);
    } finally {
      await s.sopu.deps.db.insertInto('kysely_migration' as never).values(row as never).execute();
    }
    expect((await fetch(`${s.base}/health/ready`)).status).toBe(200);
  });
});

describe('metrics', () => {
  it('are a 404 like any missing page without the token, with a wrong one, or when no token is configured', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }] as Array<Record<string, string>>) {
      const res = await fetch(`${s.base}/metrics`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(404);
      expect(await res.text()).not.toContain('sopu_');
    }
    const unconfigured = await fetch(`${trusting.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(unconfigured.status).toBe(404);
  });

  it('count requests by route pattern (never the path, which can hold a token), collab sockets, mail and the event loop', async () => {
    const secret = 'ThisInvitationTokenMustNotLeak7';
    await fetch(`${s.base}/invitations/${secret}`);
    await fetch(`${s.base}/login`);
    // Single fetch: a client-side navigation's data request counts under its page's pattern, never its path.
    await fetch(`${s.base}/invitations/${secret}.data`);
    await fetch(`${s.base}/_root.data`);
    const res = await fetch(`${s.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^sopu_http_requests_total\{route="\/login",method="GET",status="200"\} [1-9]/m);
    expect(text).toMatch(/^sopu_http_requests_total\{route="\/invitations\/:token",method="GET",status="\d+"\} 2$/m);
    expect(text).toMatch(/^sopu_http_requests_total\{route="\/",method="GET",status="\d+"\} [1-9]/m);
    expect(text).not.toContain('route="(other)"');
    expect(text).not.toContain(secret);
    for (const name of ['sopu_collab_connections', 'sopu_collab_rooms', 'sopu_collab_updates_stored_total', 'sopu_collab_updates_relayed_total', 'sopu_collab_group_commit_seconds_count', 'sopu_collab_recheck_seconds_count', 'sopu_mail_queue_depth', 'sopu_mail_given_up', 'sopu_mail_delivery_failures_total', 'sopu_nodejs_eventloop_lag_p99_seconds']) {
      expect(text, name).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
  });
});

describe('logs', () => {
  it('one JSON line per request with its request id (also in the answer) and route pattern; a client\'s own id is not trusted', async () => {
    const res = await fetch(`${s.base}/login`, { headers: { 'x-request-id': 'forged-by-client-1234' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = logged().find((l) => l.reqId === id && l.msg === 'request');
    expect(line).toMatchObject({ name: 'web', method: 'GET', route: '/login', status: 200 });
    expect(lines.join('\n')).not.toContain('forged-by-client-1234');
  });

  it('behind our proxy (TRUST_PROXY) the proxy\'s id follows a WebSocket connection into the collab server\'s lines', async () => {
    const documentId = (
      await trusting.sopu.deps.db
        .selectFrom('documents')
        .innerJoin('areas', 'areas.id', 'documents.area_id')
        .select('documents.id')
        .where('areas.slug', '=', 'kainuu-koillismaa')
        .where('documents.kind', '=', 'cooperation_agreement')
        .executeTakeFirstOrThrow()
    ).id;
    const cookie = await cookieFor(trusting.sopu, 'drafter.kajaani@sopu.example');
    const reqId = 'haproxy-7F000001-1A2B-64F0C0DE-0001';
    const ws = new WebSocket(`ws://127.0.0.1:${trusting.sopu.port}/collab/${documentId}`, { headers: { cookie, origin: 'http://localhost', 'x-request-id': reqId } });
    await new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve());
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed with ${code}`)));
    });
    ws.close();
    await new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await expect.poll(() => logged().filter((l) => l.reqId === reqId).map((l) => l.msg)).toEqual(['collab connection opened', 'collab connection closed']);
    const opened = logged().find((l) => l.reqId === reqId && l.msg === 'collab connection opened');
    expect(opened).toMatchObject({ documentId, readOnly: false });
    expect(JSON.stringify(opened)).not.toContain(cookie.split('=')[1]!);
  });
});
