import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Secrets Sopu must be able to read back (an identity provider's client secret, a refresh token, a TOTP key) are
 * stored encrypted with AES-256-GCM under one key from the environment (SECRETS_KEY, docs/decisions/024). Each value
 * is bound to where it belongs (`context`, e.g. `totp:<user id>`) as additional authenticated data, so a value copied
 * into another row does not decrypt there.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** Throws when the value was not sealed with this key for this context (or was changed). */
  open(sealed: string, context: string): string;
}

const VERSION = 'v1';

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
  const k = Buffer.from(key);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}:${iv.toString('base64url')}:${body.toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, iv, body] = sealed.split(':');
      if (version !== VERSION || !iv || !body) throw new Error('not a sealed secret');
      const bytes = Buffer.from(body, 'base64url');
      if (bytes.length < 16) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    },
  };
}

const HEX_KEY = /^[0-9a-f]{64}$/i;

/** SECRETS_KEY's own check: 64 hexadecimal characters (32 bytes). */
export function secretsKeyProblem(value: string): string | null {
  return HEX_KEY.test(value) ? null : 'must be 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`';
}

/**
 * The key: SECRETS_KEY when set; otherwise, for a database file, a key file beside it (`<db>.secrets-key`, mode
 * 0600, made on first use), as the audit key. A remote database needs SECRETS_KEY: the key must not live with the
 * data it protects, and a file beside a remote database does not exist.
 */
export function resolveSecretsKey(options: { secretsKey?: string | undefined; databaseUrl: string }): Uint8Array {
  if (options.secretsKey) {
    const problem = secretsKeyProblem(options.secretsKey);
    if (problem) throw new Error(`SECRETS_KEY ${problem}`);
    return Buffer.from(options.secretsKey, 'hex');
  }
  const file = /^file:(.+)$/.exec(options.databaseUrl)?.[1]?.split('?')[0] ?? (/^[a-z]+:/i.test(options.databaseUrl) ? null : options.databaseUrl);
  if (!file) throw new Error('SECRETS_KEY is required with a remote database: the key must not be stored in the database it protects');
  const keyFile = `${file}.secrets-key`;
  if (!existsSync(keyFile)) {
    writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    chmodSync(keyFile, 0o600);
  }
  return resolveSecretsKey({ secretsKey: readFileSync(keyFile, 'utf8').trim(), databaseUrl: options.databaseUrl });
}
