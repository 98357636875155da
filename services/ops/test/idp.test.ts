import { createSecretBox } from '@sopu/auth';
import { createDb } from '@sopu/db';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../src/env.ts';

/**
 * `npm run sopu -- idp add|list|remove` as processes (docs/decisions/024): exit 0 done, 2 bad input with the option
 * at fault and nothing changed, the client secret stored encrypted and never printed again, the redirect URI printed.
 */
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const SECRET = 'very-secret-client-password-42';
const SECRETS_KEY = 'ab'.repeat(32);
let dir: string;
let env: Record<string, string>;

function sopu(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env: childEnv(env), cwd: fileURLToPath(new URL('..', import.meta.url)) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function rows() {
  const db = await createDb({ url: env.DATABASE_URL! });
  try {
    return {
      providers: await db.selectFrom('identity_providers').selectAll().execute(),
      domains: await db.selectFrom('identity_provider_domains').selectAll().execute(),
      audit: await db.selectFrom('audit_events').select('action').where('action', 'like', 'identity_provider.%').execute(),
    };
  } finally {
    await db.destroy();
  }
}

/** The secret from a file, as an operator gives it (not on the command line, which the process list shows). */
const secretFile = () => join(dir, 'client-secret');
const ADD = () => ['idp', 'add', '--municipality', '499', '--issuer', 'https://login.korsholm.example/tenant/v2.0', '--client-id', 'sopu-korsholm', '--client-secret-file', secretFile(), '--domains', 'korsholm.example,mustasaari.example'];

/** The providers' client secrets as the server opens them (the same key). */
async function secretsOf(codes: string[]): Promise<string[]> {
  const db = await createDb({ url: env.DATABASE_URL! });
  try {
    const box = createSecretBox(Buffer.from(SECRETS_KEY, 'hex'));
    const out: string[] = [];
    for (const code of codes) {
      const row = await db.selectFrom('identity_providers').innerJoin('municipalities', 'municipalities.id', 'identity_providers.municipality_id').select(['identity_providers.id', 'client_secret_enc']).where('municipalities.code', '=', code).executeTakeFirstOrThrow();
      out.push(box.open(row.client_secret_enc, `idp:${row.id}`));
    }
    return out;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sopu-idp-'));
  env = { DATABASE_URL: `file:${join(dir, 'sopu.db')}`, PUBLIC_URL: 'https://sopu.example.fi', SECRETS_KEY };
  writeFileSync(secretFile(), `${SECRET}\n`, { mode: 0o600 });
  const created = await sopu(
    'area', 'create', '--slug', 'pohjanmaan-rannikko', '--name-fi', 'Pohjanmaan rannikon työllisyysalue', '--name-sv', 'Österbottens kusts sysselsättningsområde',
    '--host', '499', '--municipality', '499:Mustasaari:Korsholm:sv-fi', '--municipality', '905:Vaasa:Vasa:fi-sv', '--admin', 'laura@korsholm.example',
  );
  expect(created.status).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run sopu -- idp', () => {
  it.each([
    ['an unknown municipality', ['--municipality', '999'], '--municipality: no municipality 999 in any area'],
    ['an http issuer on a public host', ['--issuer', 'http://login.korsholm.example'], '--issuer: an https URL'],
    ['a bad domain', ['--domains', 'korsholm'], '--domains: an e-mail domain such as kajaani.fi'],
    ['no client id', ['--client-id', ''], 'idp add needs --client-id'],
    ['a secret file that is not there', ['--client-secret-file', '/nonexistent/secret'], '--client-secret-file: ENOENT'],
    ['the secret both ways', ['--client-secret-file', '/nonexistent/secret', '--client-secret', 'x'], 'idp add takes --client-secret or --client-secret-file, not both'],
  ])('%s: exit 2 naming the option, nothing stored', async (_what, change, message) => {
    const args = ADD();
    args.splice(args.indexOf(change[0]!), 2, ...change);
    const r = await sopu(...args);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(2);
    expect((await rows()).providers).toHaveLength(0);
  }, 60_000);

  it('adds, lists and removes; the secret is stored encrypted and never printed; the redirect URI is printed', async () => {
    const added = await sopu(...ADD());
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toContain('Register this redirect URI at the provider: https://sopu.example.fi/auth/oidc/callback');
    expect(added.stdout).not.toContain(SECRET);
    const stored = await rows();
    expect(stored.providers).toHaveLength(1);
    expect(stored.providers[0]!.client_secret_enc).not.toContain(SECRET);
    expect(readFileSync(join(dir, 'sopu.db')).includes(Buffer.from(SECRET))).toBe(false);
    expect(stored.domains.map((d) => d.domain).sort()).toEqual(['korsholm.example', 'mustasaari.example']);

    // A domain or municipality can have one provider only.
    const twice = await sopu(...ADD());
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('--municipality: this municipality has an identity provider already');
    const domainTaken = await sopu('idp', 'add', '--municipality', '905', '--issuer', 'https://login.vaasa.example', '--client-id', 'x', '--client-secret', 'y', '--domains', 'korsholm.example');
    expect(domainTaken.status).toBe(2);
    expect(domainTaken.stderr).toContain('--domains: korsholm.example belongs to another identity provider');

    const listed = await sopu('idp', 'list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('https://login.korsholm.example/tenant/v2.0');
    expect(listed.stdout).toContain('korsholm.example,mustasaari.example');
    expect(listed.stdout).not.toContain(SECRET);

    const wrongKey = await (async () => {
      env.SECRETS_KEY = 'nothex';
      try {
        return await sopu('idp', 'list');
      } finally {
        env.SECRETS_KEY = SECRETS_KEY;
      }
    })();
    expect(wrongKey.status).toBe(2);
    expect(wrongKey.stderr).toContain('SECRETS_KEY: must be 64 hexadecimal characters');

    // The secret on the command line works too (the file's trailing newline was not part of it: both decrypt equal).
    const inline = await sopu('idp', 'add', '--municipality', '905', '--issuer', 'https://login.vaasa.example', '--client-id', 'sopu-vaasa', '--client-secret', 'vaasa secret with spaces', '--domains', 'vaasa.example');
    expect(inline.status).toBe(0);
    expect(await secretsOf(['499', '905'])).toEqual([SECRET, 'vaasa secret with spaces']);
    expect((await sopu('idp', 'remove', '--municipality', '905')).status).toBe(0);

    const removed = await sopu('idp', 'remove', '--municipality', '499');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain('Removed the identity provider of 499');
    expect((await rows()).providers).toHaveLength(0);
    expect((await rows()).audit.map((a) => a.action)).toEqual(['identity_provider.added', 'identity_provider.added', 'identity_provider.removed', 'identity_provider.removed']);
    const again = await sopu('idp', 'remove', '--municipality', '499');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('--municipality: municipality 499 has no identity provider');
  }, 240_000);

  it('a backup holds the sealed client secret but not the secrets key: restoring it without the key says so, with it not', async () => {
    const added = await sopu(...ADD());
    expect(added.status).toBe(0);
    const backup = join(dir, 'sopu.backup');
    const taken = await sopu('backup', backup);
    expect(taken.status).toBe(0);
    expect(taken.stdout).toContain('Nor is the secrets key');
    const restoreInto = async (name: string, secretsKey: string | undefined) => {
      const saved = { ...env };
      env = { DATABASE_URL: `file:${join(dir, name)}`, PUBLIC_URL: env.PUBLIC_URL!, ...(secretsKey ? { SECRETS_KEY: secretsKey } : {}) };
      try {
        return await sopu('restore', backup);
      } finally {
        env = saved;
      }
    };
    const keyless = await restoreInto('keyless.db', undefined);
    expect(keyless.status).toBe(0);
    expect(keyless.stderr).toContain(`! No secrets key here, and the backup holds 1 sealed secret`);
    expect(keyless.stderr).toContain(`${join(dir, 'keyless.db')}.secrets-key`);
    const keyed = await restoreInto('keyed.db', SECRETS_KEY);
    expect(keyed.status).toBe(0);
    expect(keyed.stderr).not.toContain('secrets key');
    expect((await sopu('idp', 'remove', '--municipality', '499')).status).toBe(0);
  }, 120_000);
});
