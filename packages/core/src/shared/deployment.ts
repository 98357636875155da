/**
 * Rules that depend on where Sopu runs. A "local" address is one only this machine reaches: the demo data with its
 * published password and the development mailbox (which shows working invitation links) are for such runs only.
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** A name of this machine: localhost (and its subdomains), 127.0.0.0/8 or [::1]. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return LOCAL_HOSTS.has(name) || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name);
}

export function isLocalUrl(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** A client address on the loopback interface (as Node reports it, IPv4, IPv6 or IPv4-mapped IPv6). */
export function isLoopbackAddress(ip: string | null | undefined): boolean {
  if (!ip) return false;
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return plain === '::1' || /^127(\.\d{1,3}){3}$/.test(plain);
}

/**
 * Whether to load the demo areas into an empty database. The demo users share the password printed in the README,
 * so: by default only on a local address; on request (`SEED_DEMO=true`) elsewhere, but never on an https address,
 * which is a real deployment (that request is a configuration error, not something to ignore).
 */
export function demoSeeding(input: { publicUrl: string; seedDemo: boolean | undefined }): boolean {
  const https = input.publicUrl.startsWith('https:');
  if (input.seedDemo === true && https) {
    throw new Error('SEED_DEMO=true is refused with an https PUBLIC_URL: the demo users share a published password');
  }
  if (input.seedDemo !== undefined) return input.seedDemo;
  return !https && isLocalUrl(input.publicUrl);
}

/** Where mail goes: SMTP when configured; otherwise the development mailbox on a local address; otherwise nowhere. */
export type MailDelivery = 'smtp' | 'dev_mailbox' | 'none';

export function mailDelivery(input: { smtpConfigured: boolean; publicUrl: string }): MailDelivery {
  if (input.smtpConfigured) return 'smtp';
  return isLocalUrl(input.publicUrl) ? 'dev_mailbox' : 'none';
}
