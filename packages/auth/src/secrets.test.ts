import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, resolveSecretsKey } from './secrets.ts';

describe('secrets at rest (AES-256-GCM)', () => {
  const box = createSecretBox(Buffer.alloc(32, 7));

  it('opens what it sealed, and the stored text does not contain the secret', () => {
    const sealed = box.seal('client-secret-123', 'idp:1');
    expect(sealed).not.toContain('client-secret-123');
    expect(box.open(sealed, 'idp:1')).toBe('client-secret-123');
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it('refuses a value moved to another row, changed, or sealed with another key', () => {
    const sealed = box.seal('secret', 'totp:alice');
    expect(() => box.open(sealed, 'totp:bob')).toThrow();
    const [v, iv, body] = sealed.split(':');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open(`${v}:${iv}:${flipped.toString('base64url')}`, 'totp:alice')).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed, 'totp:alice')).toThrow();
  });

  it('takes SECRETS_KEY as 64 hex characters, else a 0600 key file beside a database file, and needs it for a remote database', () => {
    expect(() => resolveSecretsKey({ secretsKey: 'abc', databaseUrl: 'file:x.db' })).toThrow(/SECRETS_KEY/);
    expect(resolveSecretsKey({ secretsKey: 'ab'.repeat(32), databaseUrl: 'libsql://x' })).toHaveLength(32);
    expect(() => resolveSecretsKey({ databaseUrl: 'libsql://db.example' })).toThrow(/required with a remote database/);
    const dir = mkdtempSync(join(tmpdir(), 'sopu-secrets-'));
    try {
      const first = resolveSecretsKey({ databaseUrl: `file:${join(dir, 'sopu.db')}` });
      expect(resolveSecretsKey({ databaseUrl: `file:${join(dir, 'sopu.db')}` })).toEqual(first);
      expect(statSync(join(dir, 'sopu.db.secrets-key')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
