import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** 160 random bits, base32: for invitation links and similar single-use secrets. */
export function generateToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Secrets are stored only as their sha256, so a copy of the database does not hand them out. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * The credential of an `Authorization: Bearer <token>` header, or null. The scheme is case-insensitive (RFC 9110
 * 11.1): `bearer x` is a bearer too. The Origin guard and every route that reads a bearer use this one reader, so
 * that a request the guard lets through as token-authenticated is never authenticated by its cookie instead.
 */
export function readBearerToken(authorization: string | null | undefined): string | null {
  if (!authorization || authorization.length > 4096) return null;
  return /^bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1] ?? null;
}
