import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createTestApp, url } from './testing.ts';
import { clientIp, securityHeaders } from './security.ts';

/** An app that answers with the client address as clientIp reads it. */
function ipApp(trustProxy: boolean) {
  return new Hono().get('/ip', (c) => c.text(clientIp(c, trustProxy) ?? 'none'));
}

describe('clientIp', () => {
  it('behind our proxy, takes the rightmost X-Forwarded-For entry (the one the proxy added), not what the client wrote', async () => {
    const app = ipApp(true);
    const res = await app.request('/ip', { headers: { 'x-forwarded-for': '203.0.113.99, 10.0.0.1 , 198.51.100.7' } });
    expect(await res.text()).toBe('198.51.100.7');
    expect(await (await app.request('/ip', { headers: { 'x-forwarded-for': '198.51.100.8' } })).text()).toBe('198.51.100.8');
  });

  it('a client cannot choose its address by sending its own X-Forwarded-For', async () => {
    // The proxy appends the real address to whatever the client sent.
    const spoofs = ['1.1.1.1', '2.2.2.2', '3.3.3.3'].map((fake) => `${fake}, 198.51.100.7`);
    const seen = new Set<string>();
    for (const header of spoofs) seen.add(await (await ipApp(true).request('/ip', { headers: { 'x-forwarded-for': header } })).text());
    expect([...seen]).toEqual(['198.51.100.7']);
  });

  it('without TRUST_PROXY the header is ignored', async () => {
    const res = await ipApp(false).request('/ip', { headers: { 'x-forwarded-for': '203.0.113.99' } });
    expect(await res.text()).not.toContain('203.0.113.99');
  });
});

describe('securityHeaders', () => {
  const app = (hsts: boolean) => new Hono().use('*', securityHeaders({ hsts })).get('/', (c) => c.text('ok'));

  it('sends HSTS only when asked (the site is on https)', async () => {
    expect((await app(true).request('/')).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect((await app(false).request('/')).headers.get('strict-transport-security')).toBeNull();
  });

  it('always sends the rest', async () => {
    const res = await app(false).request('/');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('the API is never cached', () => {
  it('Cache-Control: no-store on answers, errors and unknown paths', async () => {
    const t = await createTestApp();
    try {
      for (const path of ['/openapi.json', '/me', '/areas/kainuu-koillismaa', '/no-such-thing']) {
        const res = await t.app.request(url(path));
        expect(res.headers.get('cache-control'), path).toBe('no-store');
      }
    } finally {
      await t.cleanup();
    }
  });
});
