import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The boundaries of core (docs/decisions/021-feature-folders.md) as `npm test` checks them: dependency-cruiser with
 * packages/core/.dependency-cruiser.cjs. The tree as it is passes; a copy of it with one deliberate bad import per
 * rule fails, and the message names the rule, the importer and what it imported.
 */

const core = fileURLToPath(new URL('..', import.meta.url));
const depcruise = join(core, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

function cruise(cwd: string) {
  const run = spawnSync(process.execPath, [depcruise, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

/** [rule, file in src/ that gets the bad line, the line, what the message says the file imported] */
const BAD: Array<[rule: string, file: string, line: string, to: string]> = [
  ['no-cycle', 'areas/apportion.rules.ts', "import { voteShares } from './vote-shares.rules.ts';", 'src/areas/vote-shares.rules.ts'],
  ['feature-direction', 'members/members.ts', "import { login } from '../session/index.ts';", 'src/session/index.ts'],
  ['no-reach-past-face', 'areas/areas.ts', "import { listMembersOfArea as pastTheFace } from '../members/members.repository.ts';", 'src/members/members.repository.ts'],
  ['no-reach-past-face', 'testing.ts', "import { insertDocument as pastTheFace } from './documents/documents.ts';", 'src/documents/documents.ts'],
  ['demo-apart', 'comments/comments.ts', "import { DEMO_PASSWORD } from '../demo/index.ts';", 'src/demo/index.ts'],
  ['testing-apart', 'shared/ids.ts', "import { createTestClock } from '../testing.ts';", 'src/testing.ts'],
  ['browser-rules-pure', 'approvals/summary.rules.ts', "import { randomUUID } from 'node:crypto';", 'crypto'],
];

describe('the boundaries of core (dependency-cruiser)', () => {
  let copy: string;
  let bad: ReturnType<typeof cruise>;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'sopu-boundaries-'));
    cpSync(join(core, 'src'), join(copy, 'src'), { recursive: true });
    copyFileSync(join(core, '.dependency-cruiser.cjs'), join(copy, '.dependency-cruiser.cjs'));
    writeFileSync(join(copy, 'tsconfig.json'), JSON.stringify({ extends: join(core, '..', '..', 'tsconfig.base.json'), include: ['**/*.ts'] }));
    symlinkSync(join(core, 'node_modules'), join(copy, 'node_modules'), 'dir');
    for (const [, file, line] of BAD) appendFileSync(join(copy, 'src', file), `\n${line}\n`);
    bad = cruise(copy);
  }, 120_000);
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('passes on the tree as it is', () => {
    const run = cruise(core);
    expect(run.err).toBe('');
    expect(run.out).toMatch(/no dependency violations found/);
    expect(run.status).toBe(0);
  }, 120_000);

  it('fails the build on the bad copy', () => {
    expect(bad.err).toBe('');
    expect(bad.status).not.toBe(0);
    expect(bad.out).toMatch(/dependency violations \(\d+ errors/);
  });

  it.each(BAD)('names %s for src/%s', (rule, file, _line, to) => {
    const from = `src/${file}`;
    if (rule === 'no-cycle') {
      // a cycle is reported from each module in it, the path on the lines that follow
      expect(bad.out).toMatch(new RegExp(`error no-cycle: ${from} → \\s*\\n\\s*${to} →`));
    } else if (rule === 'browser-rules-pure') {
      // what the browser face reaches, and the path by which it reaches it
      expect(bad.out).toMatch(new RegExp(`error browser-rules-pure: src/rules\\.ts → ${to}\\s*\\n(\\s*src/.* →\\s*\\n)*\\s*${from} →`));
    } else {
      expect(bad.out).toContain(`error ${rule}: ${from} → ${to}`);
    }
  });
});
