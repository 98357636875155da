import { describe, expect, it } from 'vitest';
import { createLogger, createMetrics, hasMetricsToken, requestIdOf, withRequestId } from './index.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const log = createLogger({ name: 'test', out: { write: (l) => void out.push(l) }, err: { write: (l) => void err.push(l) } });
  return { log, out: () => out.map((l) => JSON.parse(l) as Record<string, unknown>), err: () => err.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logs', () => {
  it('carry the request id of the request being handled, into awaits, and only there', async () => {
    const { log, out } = capture();
    await withRequestId('req-000001', async () => {
      await new Promise((r) => setTimeout(r, 1));
      log.info('inside');
    });
    log.info('outside');
    expect(out().map((l) => [l.msg, l.reqId])).toEqual([['inside', 'req-000001'], ['outside', undefined]]);
  });

  it('info on stdout, warnings and errors on stderr; secrets put in a line by mistake are redacted', () => {
    const { log, out, err } = capture();
    log.info({ password: 'hunter2', user: { token: 'abc', cookie: 'sopu_session=x' }, body: 'statement text' }, 'login');
    log.error({ err: new Error('boom') }, 'failed');
    expect(out()).toHaveLength(1);
    expect(JSON.stringify(out()[0])).not.toMatch(/hunter2|abc|sopu_session|statement text/);
    expect(err().map((l) => [l.level, l.msg, (l.err as { message: string }).message])).toEqual([[50, 'failed', 'boom']]);
  });

  it('take a request id from the proxy only when it is trusted and well-formed', () => {
    expect(requestIdOf('haproxy-abc:123_x', true)).toBe('haproxy-abc:123_x');
    expect(requestIdOf('haproxy-abc:123_x', false)).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ['a b c d e f', 'x', 'id\nforged log line', 'é'.repeat(10), 'a'.repeat(129)]) expect(requestIdOf(bad, true)).not.toBe(bad);
  });
});

describe('metrics', () => {
  it('accept exactly the token, as a bearer', () => {
    const token = 't'.repeat(40);
    expect(hasMetricsToken(`Bearer ${token}`, token)).toBe(true);
    for (const header of [undefined, '', token, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `bearer ${token}`, `Bearer ${token} `, `Basic ${token}`]) expect(hasMetricsToken(header, token)).toBe(false);
  });

  it('are kept per registry: two servers in one process count apart', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.httpRequest('/login', 'GET', 200, 0.01);
    expect((await a.render()).body).toMatch(/^sopu_http_requests_total\{route="\/login",method="GET",status="200"\} 1$/m);
    expect((await b.render()).body).not.toContain('route="/login"');
  });
});
