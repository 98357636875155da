import { childEnv } from '../src/env.ts';
import { createDb } from '@sopu/db';
import { tableCounts } from '@sopu/core/testing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from '../src/args.ts';
import { run } from '../src/cli.ts';

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sopu-ops-'));
  env = { DATABASE_URL: `file:${join(dir, 'sopu.db')}`, PUBLIC_URL: 'http://localhost:3000' };
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function sopu(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CREATE = [
  'area', 'create', '--slug', 'pohjanmaan-rannikko', '--name-fi', 'Pohjanmaan rannikon työllisyysalue', '--name-sv', 'Österbottens kusts sysselsättningsområde',
  '--host', '499', '--municipality', '499:Mustasaari:Korsholm:sv-fi', '--municipality', '905:Vaasa:Vasa:fi-sv', '--municipality', '475::Malax:sv', '--admin', 'Laura@Korsholm.example',
];

async function counts() {
  const db = await createDb({ url: env.DATABASE_URL! });
  try {
    return await tableCounts(db);
  } finally {
    await db.destroy();
  }
}

describe('npm run sopu -- area create', () => {
  it('creates the area and prints the invitation link', async () => {
    const r = await sopu(...CREATE);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ Created pohjanmaan-rannikko: Pohjanmaan rannikon työllisyysalue / Österbottens kusts sysselsättningsområde, 3 municipalities, host 499.');
    expect(r.out).toMatch(/Invitation link .*: http:\/\/localhost:3000\/invitations\/[a-z2-7]{20,}/);
    expect(r.out).toContain('development mailbox at http://localhost:3000/dev/mailbox');
    expect(await counts()).toMatchObject({ areas: 1, municipalities: 3, documents: 2, invitations: 1, outbox: 1, users: 0, memberships: 0 });
    // The same slug again: refused, nothing changes.
    const again = await sopu(...CREATE);
    expect(again).toMatchObject({ code: 2, err: expect.stringContaining('an area with the slug pohjanmaan-rannikko exists already') });
    expect(await counts()).toMatchObject({ areas: 1, invitations: 1 });
  });

  it('with SMTP configured the mail goes out through the server; on a public address without it, the operator is told to send the link', async () => {
    env.PUBLIC_URL = 'https://sopu.example.fi';
    expect((await sopu(...CREATE)).out).toContain('will not be delivered: SMTP_URL is not set');
    env.SMTP_URL = 'smtp://mail.example.fi:587';
    // Another area (a municipality belongs to one area only).
    const other = ['area', 'create', '--slug', 'toinen', '--name-fi', 'Toinen', '--name-sv', 'Andra', '--host', '946', '--municipality', '946:Vöyri:Vörå:sv-fi', '--municipality', '280:Korsnäs:Korsnäs:sv', '--admin', 'a@voyri.example'];
    expect((await sopu(...other)).out).toContain('the server sends it through SMTP');
  });

  it.each([
    ['a two-digit code', ['--municipality', '49:Mustasaari:Korsholm:sv-fi'], '--municipality 49:Mustasaari:Korsholm:sv-fi: a three-digit municipality code'],
    ['a host not listed', ['--host', '205'], '--host: the host 205 is not one of the municipalities'],
    ['a bilingual municipality without its Swedish name', ['--municipality', '545:Närpiö::fi-sv'], '--municipality 545:Närpiö::fi-sv: a bilingual municipality needs its name in both languages (sv missing)'],
    ['a code twice', ['--municipality', '905:Vaasa:Vasa:fi-sv'], 'municipality 905 is listed twice'],
    ['an unknown language', ['--municipality', '545:Närpiö:Närpes:se'], '--municipality 545:Närpiö:Närpes:se'],
    ['a bad e-mail', ['--admin', 'laura'], '--admin: Invalid email address'],
  ])('%s: exit 2, a clear message, no database even created', async (_what, extra, message) => {
    const args = [...CREATE];
    // Replace a single-valued option, or add another --municipality.
    if (extra[0] === '--municipality') args.push(...extra);
    else args.splice(args.indexOf(extra[0]!), 2, ...extra);
    const r = await sopu(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Nothing was changed.');
    expect(r.out).toBe('');
    expect(existsSync(join(dir, 'sopu.db'))).toBe(false);
  });

  it('usage mistakes: exit 2 with the usage', async () => {
    for (const args of [
      ['area', 'create', '--slug', 'x'],
      [...CREATE, '--host', '905'],
      ['area', 'create', ...CREATE.slice(2), '--out', 'x.json'],
      ['area', 'create', ...CREATE.slice(2).filter((a, i, all) => a !== '--admin' && all[i - 1] !== '--admin')],
      ['area', 'create', ...CREATE.slice(2), '--municipality', '545-Närpiö-Närpes-sv'],
      ['area', 'frobnicate'],
      ['areas', 'list'],
      ['area', 'list', '--colour'],
    ]) {
      const r = await sopu(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain('Usage: npm run sopu -- area <command>');
    }
    expect(existsSync(join(dir, 'sopu.db'))).toBe(false);
    expect((await sopu()).out).toContain('Usage:');
    expect((await sopu('--help')).code).toBe(0);
  });
});

describe('list, suspend, resume, export', () => {
  it('lists, suspends and resumes (audited), and says when nothing changed', async () => {
    expect((await sopu('area', 'list')).out).toBe('No areas yet: npm run sopu -- area create …');
    await sopu(...CREATE);
    expect((await sopu('area', 'list')).out.split('\n')).toEqual([
      'slug                 status  municipalities  members  invited  documents  name',
      'pohjanmaan-rannikko  active  3               0        1        2          Pohjanmaan rannikon työllisyysalue',
    ]);
    expect(await sopu('area', 'suspend', '--slug', 'pohjanmaan-rannikko', '--reason', 'testi')).toMatchObject({ code: 0, out: expect.stringContaining('✓ Suspended pohjanmaan-rannikko') });
    expect((await sopu('area', 'suspend', '--slug', 'pohjanmaan-rannikko')).out).toBe('pohjanmaan-rannikko was suspended already.');
    expect((await sopu('area', 'list')).out).toContain('pohjanmaan-rannikko  suspended');
    expect(await sopu('area', 'resume', '--slug', 'pohjanmaan-rannikko')).toMatchObject({ code: 0, out: expect.stringContaining('✓ Resumed') });
    expect(await sopu('area', 'suspend', '--slug', 'no-such-area')).toMatchObject({ code: 2, err: expect.stringContaining('no area no-such-area') });
  });

  it('exports to a new file readable by the operator only; refuses an existing file or a missing folder', async () => {
    await sopu(...CREATE);
    const out = join(dir, 'export.json');
    const r = await sopu('area', 'export', '--slug', 'pohjanmaan-rannikko', '--out', out);
    expect(r).toMatchObject({ code: 0, out: expect.stringContaining(`✓ Exported pohjanmaan-rannikko to ${out}`) });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { area: { slug: string }; tables: Record<string, unknown[]>; documents: Array<{ kind: string; canonical: { sections: unknown[] } }> };
    expect(exported.area.slug).toBe('pohjanmaan-rannikko');
    expect(exported.tables.municipalities).toHaveLength(3);
    expect(exported.documents.find((d) => d.kind === 'cooperation_agreement')!.canonical.sections).toHaveLength(20);
    expect(readFileSync(out, 'utf8')).not.toMatch(/\/invitations\/[a-z2-7]{20,}/);

    const before = await counts();
    expect(await sopu('area', 'export', '--slug', 'pohjanmaan-rannikko', '--out', out)).toMatchObject({ code: 2, err: expect.stringContaining('exists already') });
    expect(await sopu('area', 'export', '--slug', 'pohjanmaan-rannikko', '--out', join(dir, 'no', 'such', 'x.json'))).toMatchObject({ code: 2, err: expect.stringContaining('no folder') });
    expect(await sopu('area', 'export', '--slug', 'no-such-area', '--out', join(dir, 'other.json'))).toMatchObject({ code: 2 });
    expect(await counts()).toEqual(before);
  });
});

describe('one area per municipality, and names as the terminal shows them', () => {
  it('area create refuses a municipality of another area at its --municipality: exit 2, nothing changed', async () => {
    await sopu(...CREATE);
    const before = await counts();
    const other = ['area', 'create', '--slug', 'vaasan-seutu', '--name-fi', 'Vaasan seutu', '--name-sv', 'Vasanejden', '--host', '905', '--municipality', '905:Vaasa:Vasa:fi-sv', '--municipality', '946:Vöyri:Vörå:sv-fi', '--admin', 'a@vaasa.example'];
    const r = await sopu(...other);
    expect(r.code).toBe(2);
    expect(r.err).toContain('✗ --municipality 905:Vaasa:Vasa:fi-sv: municipality 905 (Vaasa) already belongs to the area pohjanmaan-rannikko');
    expect(r.err).toContain('Nothing was changed.');
    expect(r.out).toBe('');
    expect(await counts()).toEqual(before);
    // Without it, the area is made.
    expect((await sopu(...other.map((a) => (a === '905' ? '280' : a === '905:Vaasa:Vasa:fi-sv' ? '280:Korsnäs:Korsnäs:sv' : a)))).code).toBe(0);
  });

  it('area list writes control and bidi characters in names as escapes, never raw', async () => {
    await sopu(...CREATE);
    // A name stored before names were cleaned (or written into the database by hand).
    const db = await createDb({ url: env.DATABASE_URL! });
    await db.updateTable('areas').set({ name_fi: 'Pohjan\u001b[2J\u001b[31mmaa\u202e\u0007\r\nX' }).execute();
    await db.destroy();
    const r = await sopu('area', 'list');
    expect(r.code).toBe(0);
    for (const line of r.out.split('\n')) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.out.split('\n')[1]).toMatch(/Pohjan\\u001b\[2J\\u001b\[31mmaa\\u202e\\u0007\\u000d\\u000aX$/);
  });
});

describe('npm run sopu -- audit verify', () => {
  const OTHER = ['area', 'create', '--slug', 'vaasan-seutu', '--name-fi', 'Vaasan seutu', '--name-sv', 'Vasanejden', '--host', '946', '--municipality', '946:Vöyri:Vörå:sv-fi', '--municipality', '280:Korsnäs:Korsnäs:sv', '--admin', 'a@voyri.example'];

  async function withDb<T>(work: (db: Awaited<ReturnType<typeof createDb>>) => Promise<T>): Promise<T> {
    const db = await createDb({ url: env.DATABASE_URL! });
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }
  const areaId = (slug: string) => withDb(async (db) => (await db.selectFrom('areas').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id);

  it('exit 0 when every chain holds, saying per area what was checked; --area checks one', async () => {
    await sopu(...CREATE);
    await sopu(...OTHER);
    await sopu('area', 'suspend', '--slug', 'vaasan-seutu');
    const r = await sopu('audit', 'verify');
    expect(r).toEqual({
      code: 0,
      err: '',
      out: ['✓ pohjanmaan-rannikko: 4 events, every link holds, the head is signed at event 4.', '✓ vaasan-seutu: 5 events, every link holds, the head is signed at event 5.', 'All 2 audit chains hold.'].join('\n'),
    });
    expect(await sopu('audit', 'verify', '--area', 'vaasan-seutu')).toMatchObject({ code: 0, out: expect.stringMatching(/^✓ vaasan-seutu: 5 events[^\n]*\nThe audit chain holds\.$/) });
    expect(await sopu('audit', 'verify', '--area', 'no-such-area')).toMatchObject({ code: 2, err: expect.stringContaining('no area no-such-area') });
    expect((await sopu('audit', 'verify', '--slug', 'x')).code).toBe(2);
  });

  it('exit 1 on a changed event, naming the area and the event; the other area still holds', async () => {
    await sopu(...CREATE);
    await sopu(...OTHER);
    const id = await areaId('pohjanmaan-rannikko');
    await withDb((db) => db.updateTable('audit_events').set({ details: '{"source":"operator","slug":"toinen"}' }).where('area_id', '=', id).where('seq', '=', 3).execute());
    const r = await sopu('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.err).toContain('✗ pohjanmaan-rannikko: 4 events; event 3 has been changed');
    expect(r.err).toContain('✗ 1 of 2 audit chains does not hold');
    expect(r.out).toBe('✓ vaasan-seutu: 4 events, every link holds, the head is signed at event 4.');
    expect((await sopu('audit', 'verify', '--area', 'vaasan-seutu')).code).toBe(0);
    expect((await sopu('audit', 'verify', '--area', 'pohjanmaan-rannikko')).code).toBe(1);
  });

  it('exit 1 when the last event is deleted (the signed head points past the end), or one in the middle', async () => {
    await sopu(...CREATE);
    const id = await areaId('pohjanmaan-rannikko');
    await withDb((db) => db.deleteFrom('audit_events').where('area_id', '=', id).where('seq', '=', 4).execute());
    const cut = await sopu('audit', 'verify');
    expect(cut.code).toBe(1);
    expect(cut.err).toContain('✗ pohjanmaan-rannikko: 3 events; the newest events have been cut off (the signed head is at event 4, the last one left is 3).');
    await withDb((db) => db.deleteFrom('audit_events').where('area_id', '=', id).where('seq', '=', 2).execute());
    expect(await sopu('audit', 'verify')).toMatchObject({ code: 1, err: expect.stringContaining('event 2 is missing') });
  });

  it('as a process: exit 1 on a broken chain, 0 on an intact one', async () => {
    await sopu(...CREATE);
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const spawn = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { env: childEnv(env), encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(spawn(['audit', 'verify']).status).toBe(0);
    const id = await areaId('pohjanmaan-rannikko');
    await withDb((db) => db.deleteFrom('audit_events').where('area_id', '=', id).where('seq', '=', 4).execute());
    const broken = spawn(['audit', 'verify']);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('cut off');
  }, 60_000);
});

describe('the command as a process', () => {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  // From the package's folder, where tsx is installed (the root script runs it from the root, where it is too).
  const spawn = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { env: childEnv(env), encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });

  it('exits 0 when done and 2 on bad input, writing to stdout and stderr', () => {
    const ok = spawn(CREATE);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Invitation link');
    const bad = spawn(['area', 'suspend']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('area suspend needs --slug');
  }, 60_000);
});

describe('parseCommand', () => {
  it('reads a municipality as code:Finnish:Swedish:language, names may be empty', () => {
    const c = parseCommand(['area', 'create', '--slug', 's', '--name-fi', 'F', '--name-sv', 'S', '--host', '475', '--municipality', '475::Malax:sv', '--admin', 'a@b.fi']);
    expect(c).toMatchObject({ kind: 'create', area: { municipalities: [{ code: '475', name: { fi: '', sv: 'Malax' }, language: 'sv' }] } });
    expect(() => parseCommand(['area', 'create', '--municipality', '475:Malax:sv'])).toThrow(UsageError);
  });
});
