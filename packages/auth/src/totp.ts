import { sha256 } from '@oslojs/crypto/sha2';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding, encodeHexLowerCase, encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from '@oslojs/otp';

/**
 * Time-based one-time passwords (RFC 6238): 6 digits, 30-second steps, HMAC-SHA1 (what every authenticator app
 * reads from a QR code). The step is computed from an injected clock, and the code of each step is the HOTP
 * (RFC 4226) of that counter, so that tests can stand at the edges of a step.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now: one, for a clock a little off or a code typed as it changed (RFC 6238 §5.2). */
export const TOTP_WINDOW_STEPS = 1;

/** A new 160-bit key (RFC 4226 recommends 160 bits). */
export function generateTotpKey(): Uint8Array {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return key;
}

export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCode(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/**
 * The step whose code this is, within the window around now, or null. Steps at or before `lastUsedStep` are not
 * tried: a code once accepted is never accepted again, nor an older one.
 */
export function matchTotp(key: Uint8Array, code: string, nowMs: number, lastUsedStep: number | null): number | null {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const now = totpStep(nowMs);
  for (let step = now - TOTP_WINDOW_STEPS; step <= now + TOTP_WINDOW_STEPS; step++) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, digits)) return step;
  }
  return null;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpKeyUri(issuer: string, accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The key as typed by hand into an app: base32 in groups of four. */
export function totpKeyText(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, '$1 ');
}

/** The key back from its text (as an authenticator app reads what is typed, or the `secret` of the URI). */
export function totpKeyFromText(text: string): Uint8Array {
  return decodeBase32IgnorePadding(text.replace(/\s+/g, '').toUpperCase());
}

export const RECOVERY_CODE_COUNT = 10;

/** Ten single-use recovery codes of 50 random bits each, written `abcde-fghij`. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = new Uint8Array(7);
    crypto.getRandomValues(bytes);
    const text = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/** A recovery code as stored: the sha256 of its letters, whatever spaces, dashes or case it was typed with. */
export function hashRecoveryCode(code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(code.toLowerCase().replace(/[\s-]+/g, ''))));
}

/** Whether the text has the shape of a recovery code (so that it is not tried as a TOTP code, and vice versa). */
export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z2-7]{10}$/.test(code.toLowerCase().replace(/[\s-]+/g, ''));
}
