import { createLoginThrottle, createSecretBox, createSessions, resolveSecretsKey } from '@sopu/auth';
import {
  addIdentityProvider, addIdentityProviderInput, createArea, createAreaInput, createAuditLog, listIdentityProviders, removeIdentityProvider, createFeedSignal, exportArea, isDomainError, listAreas, mailDelivery, parseInput, resolveAuditKey, setAreaStatus, verifyAuditChains,
  type AuditChainReport, type CoreDeps,
} from '@sopu/core';
import { BackupRefused, createDb, databaseFile, migrateToLatest, normaliseDatabaseUrl, restoreBackup, writeBackup, type Db } from '@sopu/db';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommand, USAGE, UsageError, type Command, type MunicipalitySpec } from './args.ts';
import { readOpsEnv, type OpsEnv } from './env.ts';

/**
 * `npm run sopu -- area create|list|suspend|resume|export …` and `audit verify`: the operator's command (docs/decisions/019). Thin: it
 * reads the arguments and the environment, opens and migrates the database as the server does, and calls one
 * operator use case of core. Exit codes: 0 done, 2 bad input (nothing changed), 1 anything else.
 */

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

/** Where a core issue's path points on the command line. */
function optionOf(path: readonly string[], municipalities: readonly MunicipalitySpec[]): string {
  const [scope, field, index] = path;
  if (scope === 'admin') return field === 'email' ? '--admin' : '--admin-name';
  const idpOption: Record<string, string> = { municipalityCode: '--municipality', issuer: '--issuer', clientId: '--client-id', clientSecret: '--client-secret', domains: '--domains' };
  if (idpOption[scope ?? '']) return idpOption[scope!]!;
  if (field === 'municipalities' && index !== undefined && municipalities[Number(index)]) return `--municipality ${municipalities[Number(index)]!.spec}`;
  if (field === 'municipalities') return '--municipality';
  if (field === 'hostCode') return '--host';
  if (field === 'slug') return '--slug';
  if (field === 'name') return `--name-${path[2] ?? 'fi'}`;
  return path.join('.') || '(input)';
}

function explain(error: unknown, command: Command, io: Io): number {
  if (!isDomainError(error)) throw error;
  const municipalities = command.kind === 'create' ? command.area.municipalities : [];
  const issues = (error.details.issues as Array<{ path: string[]; message: string }> | undefined) ?? [];
  if (issues.length > 0) for (const issue of issues) io.err(`✗ ${optionOf(issue.path, municipalities)}: ${issue.message}`);
  else io.err(`✗ ${error.message}`);
  io.err('Nothing was changed.');
  return EXIT.badInput;
}

async function openDeps(env: OpsEnv, secretsKey: Uint8Array | null): Promise<CoreDeps> {
  const db: Db = await createDb({ url: env.databaseUrl, authToken: env.databaseAuthToken });
  await migrateToLatest(db);
  return {
    db,
    sessions: createSessions(db, { idleTimeoutMs: 8 * 3_600_000, absoluteTimeoutMs: 7 * 24 * 3_600_000, secureCookies: env.publicUrl.startsWith('https:') }),
    throttle: createLoginThrottle(db),
    audit: createAuditLog(resolveAuditKey({ auditKey: env.auditKey, databaseUrl: env.databaseUrl })),
    feed: createFeedSignal(),
    // The operator's commands never edit a live document (a new area's documents are inserted whole).
    documents: { change: () => Promise.reject(new Error('the operator command does not edit documents')) },
    now: Date.now,
    publicUrl: env.publicUrl,
    invitationTtlMs: env.invitationTtlMs,
    mailDelivery: mailDelivery({ smtpConfigured: env.smtpConfigured, publicUrl: env.publicUrl }),
    ...(secretsKey ? { secrets: createSecretBox(secretsKey) } : {}),
  };
}

const helsinkiTime = (ms: number) => new Intl.DateTimeFormat('fi-FI', { timeZone: 'Europe/Helsinki', dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));

/**
 * Text from the database as the terminal should show it: control characters (an escape sequence can rewrite the
 * screen), line and paragraph separators and bidi controls are written as \u escapes, never sent raw.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One area's audit chain, in a line. */
function chainLine(r: AuditChainReport): string {
  const events = `${r.events} event${r.events === 1 ? '' : 's'}`;
  if (!r.problem) return r.events === 0 ? `✓ ${r.slug}: no events yet.` : `✓ ${r.slug}: ${events}, every link holds, the head is signed at event ${r.signedSeq}.`;
  const { seq, kind } = r.problem;
  const what = {
    altered: `event ${seq} has been changed (its hash or its link to the event before does not match)`,
    missing: `event ${seq} is missing (the sequence jumps over it)`,
    truncated: `the newest events have been cut off (the signed head is at event ${r.signedSeq}, the last one left is ${seq - 1})`,
    unsigned: `the head is not signed with this audit key from event ${seq} on (a chain rebuilt without the key, or another AUDIT_KEY)`,
  }[kind];
  return `✗ ${r.slug}: ${events}; ${what}.`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** `source`: the environment to read (readOpsEnv's default, this process's, when left out). */
export async function run(argv: readonly string[], source: Record<string, string | undefined> | undefined, io: Io): Promise<number> {
  let command: Command;
  let env: OpsEnv;
  try {
    command = parseCommand(argv);
    env = readOpsEnv(source);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.message.startsWith('Invalid environment'))) {
      io.err(`✗ ${error.message}\n\n${USAGE}`);
      return EXIT.badInput;
    }
    throw error;
  }
  if (command.kind === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }

  if (command.kind === 'backup' || command.kind === 'restore') return backupOrRestore(command, env, io);

  let input: unknown;
  if (command.kind === 'create') {
    input = { area: { ...command.area, municipalities: command.area.municipalities.map(({ spec: _spec, ...m }) => m) }, admin: command.admin };
    // Validated before the database is opened: bad input changes nothing, not even a new database file.
    try {
      parseInput(createAreaInput, input);
    } catch (error) {
      return explain(error, command, io);
    }
  }
  if (command.kind === 'idp-add') {
    let clientSecret: string;
    if ('file' in command.clientSecret) {
      try {
        // The file's one line (a trailing newline is not part of the secret).
        clientSecret = readFileSync(command.clientSecret.file, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        io.err(`✗ --client-secret-file: ${(error as Error).message}\nNothing was changed.`);
        return EXIT.badInput;
      }
    } else {
      clientSecret = command.clientSecret.value;
    }
    input = { municipalityCode: command.municipalityCode, issuer: command.issuer, clientId: command.clientId, clientSecret, domains: command.domains };
    try {
      parseInput(addIdentityProviderInput, input);
    } catch (error) {
      return explain(error, command, io);
    }
  }
  if (command.kind === 'export') {
    const out = resolve(command.out);
    const problem = existsSync(out) ? `${command.out} exists already; choose a new file` : !existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory() ? `no folder ${dirname(out)}` : null;
    if (problem) {
      io.err(`✗ --out: ${problem}\nNothing was changed.`);
      return EXIT.badInput;
    }
  }

  // Only adding a provider seals a secret: the other commands work without SECRETS_KEY on a remote database too.
  let secretsKey: Uint8Array | null = null;
  if (command.kind === 'idp-add') {
    try {
      secretsKey = resolveSecretsKey({ secretsKey: env.secretsKey, databaseUrl: env.databaseUrl });
    } catch (error) {
      io.err(`✗ ${(error as Error).message}\nNothing was changed.`);
      return EXIT.badInput;
    }
  }
  const deps = await openDeps(env, secretsKey);
  try {
    switch (command.kind) {
      case 'create': {
        const r = await createArea(deps, input);
        io.out(`✓ Created ${r.area.slug}: ${printable(r.area.name.fi)} / ${printable(r.area.name.sv)}, ${r.municipalities} municipalities, host ${command.area.hostCode}.`);
        io.out(`  Cooperation agreement ${r.documents.cooperation_agreement} and administrative rules ${r.documents.administrative_rules}, empty from the template.`);
        io.out(`✓ Invited ${r.invitation.email} as the host admin; the invitation works until ${helsinkiTime(r.invitation.expiresAt)} (Helsinki).`);
        io.out(`  Invitation link (it sets the admin's password: give it to ${r.invitation.email} only): ${r.invitation.link}`);
        io.out(
          {
            smtp: '  The mail is in the outbox; the server sends it through SMTP.',
            dev_mailbox: `  The mail is in the outbox; without SMTP it shows in the development mailbox at ${env.publicUrl}/dev/mailbox.`,
            none: '  The mail is in the outbox but will not be delivered: SMTP_URL is not set. Send the link to the admin yourself.',
          }[r.mailDelivery],
        );
        return EXIT.ok;
      }
      case 'list': {
        const areas = await listAreas(deps);
        if (areas.length === 0) {
          io.out('No areas yet: npm run sopu -- area create …');
          return EXIT.ok;
        }
        const rows = [['slug', 'status', 'municipalities', 'members', 'invited', 'documents', 'name'], ...areas.map((a) => [printable(a.slug), a.status, String(a.municipalities), String(a.members), String(a.pendingInvitations), String(a.documents), printable(a.name.fi)])];
        for (const line of table(rows)) io.out(line);
        return EXIT.ok;
      }
      case 'suspend':
      case 'resume': {
        const changed = await setAreaStatus(deps, command.slug, command.kind === 'suspend' ? 'suspended' : 'active', command.reason);
        if (command.kind === 'suspend') io.out(changed ? `✓ Suspended ${command.slug}: its members can no longer open it; nothing was deleted.` : `${command.slug} was suspended already.`);
        else io.out(changed ? `✓ Resumed ${command.slug}: its members can open it again.` : `${command.slug} was active already.`);
        return EXIT.ok;
      }
      case 'audit-verify': {
        const reports = await verifyAuditChains(deps, command.slug ?? undefined);
        if (reports.length === 0) {
          io.out('No areas yet: nothing to verify.');
          return EXIT.ok;
        }
        const broken = reports.filter((r) => r.problem !== null);
        for (const r of reports) (r.problem ? io.err : io.out)(chainLine({ ...r, slug: printable(r.slug) }));
        if (broken.length === 0) {
          io.out(reports.length === 1 ? 'The audit chain holds.' : `All ${reports.length} audit chains hold.`);
          return EXIT.ok;
        }
        io.err(`✗ ${broken.length} of ${reports.length} audit chain${reports.length === 1 ? '' : 's'} do${broken.length === 1 ? 'es' : ''} not hold: see above. Restore the database from a backup taken before the first broken event, or investigate who had write access to it.`);
        return EXIT.failure;
      }
      case 'idp-add': {
        const { listing, redirectUri } = await addIdentityProvider(deps, input);
        io.out(`✓ Added the identity provider of ${listing.municipalityCode} ${printable(listing.municipalityName)} (${printable(listing.areaSlug)}): ${printable(listing.issuer)}, client ${printable(listing.clientId)}.`);
        io.out(`  People with an address at ${listing.domains.join(', ')} now sign in there. The client secret is stored encrypted and is not shown again.`);
        io.out(`  Register this redirect URI at the provider: ${redirectUri}`);
        return EXIT.ok;
      }
      case 'idp-list': {
        const providers = await listIdentityProviders(deps);
        if (providers.length === 0) {
          io.out('No identity providers yet: npm run sopu -- idp add …');
          return EXIT.ok;
        }
        const rows = [['area', 'municipality', 'issuer', 'client id', 'domains', 'people'], ...providers.map((p) => [printable(p.areaSlug), `${p.municipalityCode} ${printable(p.municipalityName)}`, printable(p.issuer), printable(p.clientId), p.domains.join(','), String(p.identities)])];
        for (const line of table(rows)) io.out(line);
        return EXIT.ok;
      }
      case 'idp-remove': {
        const { endedSessions } = await removeIdentityProvider(deps, command.municipalityCode);
        io.out(`✓ Removed the identity provider of ${command.municipalityCode}; ${endedSessions} session${endedSessions === 1 ? '' : 's'} from it ended. Its domains sign in with passwords again.`);
        return EXIT.ok;
      }
      case 'export': {
        const exported = await exportArea(deps, command.slug);
        const out = resolve(command.out);
        const partial = `${out}.partial`;
        // Personal data: readable by the operator only; written whole or not at all.
        writeFileSync(partial, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        renameSync(partial, out);
        const rows = Object.values(exported.tables).reduce((n, t) => n + t.length, 0);
        io.out(`✓ Exported ${command.slug} to ${command.out}: ${rows} rows from ${Object.keys(exported.tables).length} tables, ${exported.documents.length} documents.`);
        return EXIT.ok;
      }
    }
  } catch (error) {
    return explain(error, command, io);
  } finally {
    await deps.db.destroy();
  }
}

/** How many secrets sealed with the secrets key a database holds (0 for one from before sign-in's tables). */
async function sealedSecrets(file: string): Promise<number> {
  const db = await createDb({ url: `file:${file}` });
  try {
    const tables = new Set((await db.selectFrom('sqlite_master' as never).select('name' as never).execute()).map((r) => (r as { name: string }).name));
    let n = 0;
    const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number }> }) => Number((await query.executeTakeFirstOrThrow()).n);
    if (tables.has('totp_credentials')) n += await count(db.selectFrom('totp_credentials').select((eb) => eb.fn.countAll<number>().as('n')));
    if (tables.has('identity_providers')) n += await count(db.selectFrom('identity_providers').select((eb) => eb.fn.countAll<number>().as('n')));
    if (tables.has('idp_sessions')) n += await count(db.selectFrom('idp_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('refresh_token_enc', 'is not', null));
    return n;
  } finally {
    await db.destroy();
  }
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * `backup <file>` and `restore <file>` (docs/decisions/028). Neither migrates: a backup is taken of the database as
 * the running server has it; a restored database is migrated by the server that starts on it.
 */
async function backupOrRestore(command: { kind: 'backup' | 'restore'; file: string }, env: OpsEnv, io: Io): Promise<number> {
  const path = databaseFile(normaliseDatabaseUrl(env.databaseUrl));
  if (!path) {
    io.err(`✗ DATABASE_URL names a libSQL server: back it up and restore it with the server's own tools (point-in-time recovery; README, Operating Sopu). ${command.kind} works on a database file.`);
    return EXIT.badInput;
  }
  const file = resolve(command.file);
  try {
    if (command.kind === 'backup') {
      const header = await writeBackup(resolve(path), file);
      io.out(`✓ Backed up ${path} to ${command.file}: ${megabytes(header.bytes)}, sha256 ${header.sha256}, schema ${header.migration}.`);
      io.out('  The audit key is not in the backup: keep it apart (the key file beside the database, or AUDIT_KEY).');
      io.out('  Nor is the secrets key (the .secrets-key file beside the database, or SECRETS_KEY): keep it apart too.');
      return EXIT.ok;
    }
    const header = await restoreBackup(file, resolve(path));
    io.out(`✓ Restored ${command.file} (taken ${header.createdAt}, schema ${header.migration}, checksum verified) into ${path}.`);
  } catch (error) {
    if (!(error instanceof BackupRefused)) throw error;
    io.err(`✗ ${error.message}`);
    io.err('Nothing was changed.');
    return EXIT.badInput;
  }
  // The secrets key is kept apart too (docs/decisions/024): a server started without it makes a new one, which opens
  // none of the restored second factors (their owners could not log in) nor the providers' client secrets.
  const sealed = await sealedSecrets(resolve(path));
  const secretsKeyFile = `${resolve(path)}.secrets-key`;
  if (sealed > 0 && !env.secretsKey && !existsSync(secretsKeyFile)) {
    io.err(`! No secrets key here, and the backup holds ${sealed} sealed secret${sealed === 1 ? '' : 's'} (people's second factors, identity providers' client secrets, their sessions' refresh tokens): put the key you keep apart at ${secretsKeyFile} (mode 0600) or set SECRETS_KEY before the server starts. Without it the server makes a new key: people with two-step verification cannot log in, and sign-in through the identity providers fails until each is added again.`);
  }
  // The audit key is kept apart from the database: with it, the restored chains are checked now; without it the
  // server would make a new key, and every chain would read as not signed.
  const keyFile = `${resolve(path)}.audit-key`;
  if (!env.auditKey && !existsSync(keyFile)) {
    io.err(`! No audit key here: put the key you keep apart at ${keyFile} (mode 0600) or set AUDIT_KEY before the server starts, then run npm run sopu -- audit verify. Without it the server makes a new key and the audit chains cannot be verified.`);
    return EXIT.ok;
  }
  const deps = await openDeps(env, null);
  try {
    const reports = await verifyAuditChains(deps);
    const broken = reports.filter((r) => r.problem !== null);
    for (const r of reports) (r.problem ? io.err : io.out)(chainLine({ ...r, slug: printable(r.slug) }));
    if (broken.length > 0) {
      io.err(`✗ ${broken.length} audit chain${broken.length === 1 ? '' : 's'} do${broken.length === 1 ? 'es' : ''} not hold with this audit key: is it the key of the backed-up server?`);
      return EXIT.failure;
    }
    return EXIT.ok;
  } finally {
    await deps.db.destroy();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const io: Io = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
  run(process.argv.slice(2), undefined, io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.err(`✗ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = EXIT.failure;
    },
  );
}
