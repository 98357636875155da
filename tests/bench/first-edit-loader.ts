// Diagnostic of the first-edit benchmark (not part of the run): what the document page's loader and the version view's
// spend in core, each use case 8 times over the demo data in a fresh temp-file database, in ms (in the order run, then
// the median). The editor page's HTML comes later than the read-only page's by about these (the threads' anchors; the
// area's checks on their first read, later only their fingerprint while nothing they depend on changed).
//   node --import tsx tests/bench/first-edit-loader.ts
import { getArea, getTranslations, getVersion, listChecks, listMentionable, listPositions, listSuggestionDecisions, listThreads, openDocument } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { actorFor, createTestDeps } from '@sopu/core/testing';
const t = await createTestDeps({ demo: false, now: Date.now() });
await loadDemoAreasIfEmpty(t.deps, Date.now(), { content: true });
const actor = await actorFor(t.deps, 'drafter.kajaani@sopu.example');
const doc = await t.db
  .selectFrom('documents')
  .innerJoin('areas', 'areas.id', 'documents.area_id')
  .select('documents.id')
  .where('areas.slug', '=', 'kainuu-koillismaa')
  .where('documents.kind', '=', 'cooperation_agreement')
  .executeTakeFirstOrThrow();
const time = async (name: string, fn: () => Promise<unknown>) => {
  const xs: number[] = [];
  for (let i = 0; i < 8; i++) {
    const s = performance.now();
    await fn();
    xs.push(performance.now() - s);
  }
  const median = [...xs].sort((a, b) => a - b)[xs.length / 2]!;
  console.log(name.padEnd(20), xs.map((x) => x.toFixed(1)).join(' '), ' median', median.toFixed(1));
};
await time('openDocument', () => openDocument(t.db, actor, 'kainuu-koillismaa', doc.id));
await time('getArea', () => getArea(t.db, actor, 'kainuu-koillismaa'));
await time('listThreads', () => listThreads(t.deps, actor, doc.id));
await time('listMentionable', () => listMentionable(t.deps, actor, doc.id));
await time('listChecks', () => listChecks(t.deps, actor, 'kainuu-koillismaa'));
await time('getTranslations', () => getTranslations(t.deps, actor, doc.id));
await time('getVersion', () => getVersion(t.deps, actor, doc.id, '1'));
await time('positions+decisions', () => Promise.all([listPositions(t.deps, actor, doc.id), listSuggestionDecisions(t.deps, actor, doc.id)]));
await t.cleanup();
