import { parseArgs } from 'node:util';

/**
 * The operator command's arguments, read into one command; nothing here touches the database. A usage mistake is a
 * UsageError, which the command prints with the usage and answers with exit code 2.
 */

export const USAGE = `Usage: npm run sopu -- area <command> [options]
       npm run sopu -- audit verify [--area <slug>]
       npm run sopu -- idp add|list|remove [options]
       npm run sopu -- backup <file>
       npm run sopu -- restore <file>

  area create --slug <slug> --name-fi <name> --name-sv <name> [--name-en <name>]
              --host <code> --municipality <code>:<Finnish name>:<Swedish name>:<language> …
              --admin <e-mail> [--admin-name <name>]
      Creates an employment area with its municipalities (at least two; language fi, sv, fi-sv or sv-fi; a
      bilingual municipality needs both names, a monolingual one its own), the host among them, the cooperation
      agreement and administrative rules from the template, and invites the first host admin (prints the link).
      Example: --municipality 205:Kajaani:Kajana:fi --municipality 499:Mustasaari:Korsholm:sv-fi
  area list
      Every area with its status and counts.
  area suspend --slug <slug> [--reason <text>]
      Closes the area to its members (nothing is deleted); area resume --slug <slug> opens it again.
  area export --slug <slug> --out <file.json>
      Writes every row of the area and its documents (Yjs state and canonical JSON) to a new file; no secrets.
  audit verify [--area <slug>]
      Checks every area's audit chain (or one area's): each event's hash, no event missing, the signed head.
      Exit code 1 when a chain is broken or cut off.
  idp add --municipality <code> --issuer <url> --client-id <id> --client-secret-file <file> --domains <a.fi,b.fi>
      Lets the people of these e-mail domains sign in through the municipality's identity provider (OpenID
      Connect). The client secret is read from the file (its one line; or --client-secret <secret>, which shell
      history and the process list see), stored encrypted (SECRETS_KEY) and never shown again. Register the
      printed redirect URI at the provider.
  idp list
      Every identity provider: municipality, issuer, client id, domains (never the secret).
  idp remove --municipality <code>
      Removes the municipality's provider; the sessions that came through it end.
  backup <file>
      Writes a consistent copy of the database to a new file while the server runs (VACUUM INTO), with its
      checksum. It does not hold the audit key: keep that apart (README, Operating Sopu).
  restore <file>
      Checks a backup (refused when damaged or not a Sopu backup) and restores it into an empty data directory
      (DATABASE_URL's file must not exist); then checks the audit chains with the audit key, if there is one.

The database and addresses are read from the environment as the server reads them (DATABASE_URL, AUDIT_KEY,
PUBLIC_URL, SECRETS_KEY, …); migrations run first. Exit codes: 0 done, 2 bad input (nothing changed), 1 failure (or an audit
chain that does not hold).`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface MunicipalitySpec {
  code: string;
  name: { fi: string; sv: string };
  language: string;
  /** As written on the command line, for messages. */
  spec: string;
}

export type Command =
  | { kind: 'help' }
  | {
      kind: 'create';
      area: { slug: string; name: { fi: string; sv: string; en?: string }; hostCode: string; municipalities: MunicipalitySpec[] };
      admin: { email: string; displayName?: string };
    }
  | { kind: 'list' }
  | { kind: 'suspend' | 'resume'; slug: string; reason: string | null }
  | { kind: 'export'; slug: string; out: string }
  | { kind: 'audit-verify'; slug: string | null }
  | { kind: 'backup' | 'restore'; file: string }
  | { kind: 'idp-add'; municipalityCode: string; issuer: string; clientId: string; clientSecret: { value: string } | { file: string }; domains: string[] }
  | { kind: 'idp-list' }
  | { kind: 'idp-remove'; municipalityCode: string };

const OPTIONS = {
  slug: { type: 'string' },
  'name-fi': { type: 'string' },
  'name-sv': { type: 'string' },
  'name-en': { type: 'string' },
  host: { type: 'string', multiple: true },
  municipality: { type: 'string', multiple: true },
  admin: { type: 'string' },
  'admin-name': { type: 'string' },
  reason: { type: 'string' },
  out: { type: 'string' },
  area: { type: 'string' },
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-secret-file': { type: 'string' },
  domains: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The commands, by noun and verb, with the options each takes. */
const ALLOWED: Record<string, Record<string, Array<keyof typeof OPTIONS>>> = {
  area: {
    create: ['slug', 'name-fi', 'name-sv', 'name-en', 'host', 'municipality', 'admin', 'admin-name'],
    list: [],
    suspend: ['slug', 'reason'],
    resume: ['slug', 'reason'],
    export: ['slug', 'out'],
  },
  audit: { verify: ['area'] },
  idp: { add: ['municipality', 'issuer', 'client-id', 'client-secret', 'client-secret-file', 'domains'], list: [], remove: ['municipality'] },
};

/** `205:Kajaani:Kajana:fi`; an empty name is allowed here (core decides which names a municipality needs). */
export function parseMunicipality(spec: string): MunicipalitySpec {
  const parts = spec.split(':');
  if (parts.length !== 4) throw new UsageError(`--municipality "${spec}": write it as <code>:<Finnish name>:<Swedish name>:<language>, e.g. 205:Kajaani:Kajana:fi`);
  const [code, fi, sv, language] = parts.map((p) => p.trim()) as [string, string, string, string];
  return { code, name: { fi, sv }, language, spec };
}

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { kind: 'help' };
  const [noun, verb, ...rest] = positionals;
  if (noun === 'backup' || noun === 'restore') {
    const given = Object.keys(values).filter((k) => k !== 'help');
    if (given.length > 0) throw new UsageError(`${noun} does not take ${given.map((w) => `--${w}`).join(', ')}`);
    if (!verb || verb.trim() === '') throw new UsageError(`${noun} needs a file: npm run sopu -- ${noun} <file>`);
    if (rest.length > 0) throw new UsageError(`unexpected "${rest.join(' ')}"`);
    return { kind: noun, file: verb };
  }
  const verbs = noun !== undefined && Object.hasOwn(ALLOWED, noun) ? ALLOWED[noun]! : null;
  if (!verbs) throw new UsageError(`unknown command "${noun}": the commands are under "area", "audit" and "idp", and backup and restore`);
  if (!verb || !Object.hasOwn(verbs, verb)) throw new UsageError(verb ? `unknown command "${noun} ${verb}"` : `which ${noun} command? ${Object.keys(verbs).join(', ')}`);
  if (rest.length > 0) throw new UsageError(`unexpected "${rest.join(' ')}"`);
  const given = Object.keys(values).filter((k) => k !== 'help') as Array<keyof typeof OPTIONS>;
  const wrong = given.filter((k) => !verbs[verb]!.includes(k));
  if (wrong.length > 0) throw new UsageError(`${noun} ${verb} does not take ${wrong.map((w) => `--${w}`).join(', ')}`);
  const need = (key: keyof typeof OPTIONS): string => {
    const value = values[key];
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${noun} ${verb} needs --${key}`);
    return value.trim();
  };

  if (noun === 'idp') {
    if (verb === 'list') return { kind: 'idp-list' };
    const municipalities = values.municipality ?? [];
    if (municipalities.length !== 1 || !municipalities[0]!.trim()) throw new UsageError(`idp ${verb} needs --municipality <code> (once)`);
    const municipalityCode = municipalities[0]!.trim();
    if (verb === 'remove') return { kind: 'idp-remove', municipalityCode };
    const domains = need('domains').split(',').map((d) => d.trim()).filter(Boolean);
    // The secret as given (spaces may be part of it), or the file it is in: exactly one of the two.
    const secret = values['client-secret'];
    const file = values['client-secret-file'];
    if (secret !== undefined && file !== undefined) throw new UsageError('idp add takes --client-secret or --client-secret-file, not both');
    if (file !== undefined && file.trim() === '') throw new UsageError('idp add --client-secret-file needs the path of a file');
    if (file === undefined && (typeof secret !== 'string' || secret === '')) throw new UsageError('idp add needs --client-secret-file <file> (or --client-secret <secret>)');
    const clientSecret = file !== undefined ? { file: file.trim() } : { value: secret! };
    return { kind: 'idp-add', municipalityCode, issuer: need('issuer'), clientId: need('client-id'), clientSecret, domains };
  }

  if (noun === 'audit') {
    if (values.area !== undefined && values.area.trim() === '') throw new UsageError('audit verify --area needs the slug of an area');
    return { kind: 'audit-verify', slug: values.area?.trim() ?? null };
  }

  switch (verb) {
    case 'create': {
      const municipalities = (values.municipality ?? []).map(parseMunicipality);
      if (municipalities.length === 0) throw new UsageError('area create needs the municipalities: --municipality <code>:<Finnish name>:<Swedish name>:<language>, once for each');
      const hosts = values.host ?? [];
      if (hosts.length !== 1) throw new UsageError(hosts.length === 0 ? 'area create needs --host <code>, the host municipality' : `an area has one host municipality, not ${hosts.length} (--host ${hosts.join(', --host ')})`);
      const nameEn = values['name-en']?.trim();
      const adminName = values['admin-name']?.trim();
      return {
        kind: 'create',
        area: { slug: need('slug'), name: { fi: need('name-fi'), sv: need('name-sv'), ...(nameEn ? { en: nameEn } : {}) }, hostCode: hosts[0]!.trim(), municipalities },
        admin: { email: need('admin'), ...(adminName ? { displayName: adminName } : {}) },
      };
    }
    case 'list':
      return { kind: 'list' };
    case 'suspend':
    case 'resume':
      return { kind: verb, slug: need('slug'), reason: values.reason?.trim() || null };
    case 'export':
      return { kind: 'export', slug: need('slug'), out: need('out') };
  }
  throw new UsageError(`unknown command "${noun} ${verb}"`);
}
