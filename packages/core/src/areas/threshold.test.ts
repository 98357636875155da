import demoData from '@sopu/migrations/seeds/demo-areas.json' with { type: 'json' };
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getArea } from './areas.ts';
import { checkLabourForceThreshold, LABOUR_FORCE_THRESHOLD } from './threshold.rules.ts';
import { actorFor, createTestDeps, type TestDeps } from '../testing.ts';

const seeded = (slug: string) => {
  const area = demoData.areas.find((a) => a.slug === slug)!;
  return area.municipalities.map((m) => ({ labourForce: m.labourForce as number | null, labourForceIsDemo: true }));
};

describe('checkLabourForceThreshold', () => {
  it('the threshold is 20,000 (implementing act 4 §) and matches the seed file', () => {
    expect(LABOUR_FORCE_THRESHOLD).toBe(20_000);
    expect(demoData.thresholdLabourForce).toBe(LABOUR_FORCE_THRESHOLD);
  });

  it('Kainuu-Koillismaa (about 40,000) is above the threshold and needs no exception ground', () => {
    const check = checkLabourForceThreshold(seeded('kainuu-koillismaa'), []);
    expect(check.total).toBe(40_350);
    expect(check.belowThreshold).toBe(false);
    expect(check.needsExceptionGround).toBe(false);
    expect(check.incomplete).toBe(false);
    expect(check.usesDemoFigures).toBe(true);
  });

  it('Saaristo (10,000) is below; recorded grounds mean no further ground is needed', () => {
    const check = checkLabourForceThreshold(seeded('saaristo-skargard'), ['archipelago_or_distance', 'language_rights']);
    expect(check.total).toBe(10_000);
    expect(check.belowThreshold).toBe(true);
    expect(check.exceptionGrounds).toEqual(['archipelago_or_distance', 'language_rights']);
    expect(check.needsExceptionGround).toBe(false);
  });

  it('below the threshold with no ground, or only unknown ones, an exception ground is needed', () => {
    expect(checkLabourForceThreshold(seeded('saaristo-skargard'), []).needsExceptionGround).toBe(true);
    const unknown = checkLabourForceThreshold(seeded('saaristo-skargard'), ['because_we_say_so']);
    expect(unknown.exceptionGrounds).toEqual([]);
    expect(unknown.needsExceptionGround).toBe(true);
  });

  it('a municipality without a figure makes the check incomplete', () => {
    const check = checkLabourForceThreshold([{ labourForce: 15_000, labourForceIsDemo: false }, { labourForce: null, labourForceIsDemo: false }], []);
    expect(check.incomplete).toBe(true);
    expect(check.total).toBe(15_000);
    expect(check.usesDemoFigures).toBe(false);
  });

  it('exactly at the threshold is not below it', () => {
    const check = checkLabourForceThreshold([{ labourForce: 12_000, labourForceIsDemo: false }, { labourForce: 8_000, labourForceIsDemo: false }], []);
    expect(check.belowThreshold).toBe(false);
    expect(check.needsExceptionGround).toBe(false);
  });
});

describe('getArea threshold (demo areas from the database)', () => {
  let t: TestDeps;
  beforeEach(async () => {
    t = await createTestDeps();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('reports both demo areas as the seed file describes them', async () => {
    const kainuu = await getArea(t.db, await actorFor(t.deps, 'viewer.kuhmo@sopu.example'), 'kainuu-koillismaa');
    expect(kainuu.threshold).toMatchObject({ total: 40_350, belowThreshold: false, needsExceptionGround: false, usesDemoFigures: true, incomplete: false });

    const saaristo = await getArea(t.db, await actorFor(t.deps, 'drafter.holmpy@sopu.example'), 'saaristo-skargard');
    expect(saaristo.threshold).toMatchObject({ total: 10_000, belowThreshold: true, needsExceptionGround: false });
    expect(saaristo.threshold.exceptionGrounds).toEqual(['archipelago_or_distance', 'language_rights']);
  });
});
