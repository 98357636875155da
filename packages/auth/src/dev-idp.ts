import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestIdp } from './test-idp.ts';

/**
 * `npm run dev-idp`: the tests' OpenID Connect provider (oidc-provider) on this machine, for trying sign-in with a
 * municipality's accounts locally (README, "Signing in"). It knows three Kajaani people; its client secret is written
 * to data/dev-idp-client-secret for the operator's `idp add --client-secret-file`. Not for anything but trying.
 */
const { values } = parseArgs({ options: { port: { type: 'string', default: '3400' }, 'public-url': { type: 'string', default: 'http://localhost:3000' } } });
const publicUrl = values['public-url'].replace(/\/$/, '');
const clientSecret = 'dev-idp-client-secret-not-for-production';
const people = [
  { username: 'liisa', password: 'liisa-salasana', subject: 'dev-liisa', email: 'liisa.laine@kajaani.example', name: 'Liisa Laine' },
  { username: 'pekka', password: 'pekka-salasana', subject: 'dev-pekka', email: 'pekka.pelto@kajaani.example', name: 'Pekka Pelto' },
  { username: 'ulla', password: 'ulla-salasana', subject: 'dev-ulla', email: 'ulla@muu.example', name: 'Ulla Ulkopuolinen' },
];
const idp = await startTestIdp({ port: Number(values.port), clients: [{ clientId: 'sopu-dev', clientSecret, redirectUri: `${publicUrl}/auth/oidc/callback` }], people });
mkdirSync('data', { recursive: true });
const secretFile = join('data', 'dev-idp-client-secret');
writeFileSync(secretFile, clientSecret, { mode: 0o600 });

console.log(`A test identity provider runs at ${idp.issuer} (Ctrl-C stops it). Register it for Kajaani (205):

  npm run sopu -- idp add --municipality 205 --issuer ${idp.issuer} --client-id sopu-dev --client-secret-file ${secretFile} --domains kajaani.example

Its people (username / password, e-mail):
${people.map((p) => `  ${p.username.padEnd(6)} / ${p.password.padEnd(15)} ${p.email}`).join('\n')}
(ulla's address is of no domain of the provider: Sopu refuses her.)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void idp.close().then(() => process.exit(0)));
