import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createInitialState,
  initialiseDocument,
  LayoutError,
  readSection,
  readSections,
  REASON_MAX_LENGTH,
  sectionFragmentName,
  sectionsMap,
  setSectionStatus,
  type SectionStatus,
} from './layout.ts';
import { templateFor } from './templates.ts';

function initialised(kind: Parameters<typeof initialiseDocument>[1] = 'cooperation_agreement'): Y.Doc {
  const doc = new Y.Doc();
  initialiseDocument(doc, kind);
  return doc;
}

/** Exchanges what each side is missing, as two y-websocket peers do after reconnecting. */
function sync(a: Y.Doc, b: Y.Doc): void {
  const forB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const forA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, forB);
  Y.applyUpdate(a, forA);
}

function countUpdates(doc: Y.Doc, action: () => void): number {
  let updates = 0;
  const onUpdate = () => updates++;
  doc.on('update', onUpdate);
  try {
    action();
  } finally {
    doc.off('update', onUpdate);
  }
  return updates;
}

function layoutError(action: () => unknown): LayoutError {
  try {
    action();
  } catch (error) {
    if (error instanceof LayoutError) return error;
    throw error;
  }
  throw new Error('expected a LayoutError');
}

describe('sectionFragmentName', () => {
  it('names the fragment of a section', () => {
    expect(sectionFragmentName('parties')).toBe('section:parties');
  });
});

describe('initialiseDocument', () => {
  it('adds every template section in template order as drafting, with empty fragments', () => {
    const doc = initialised('service_plan');
    expect(readSections(doc)).toEqual(
      templateFor('service_plan').map(({ key }, order) => ({ key, order, status: 'drafting', reason: '' })),
    );
    expect(doc.getXmlFragment(sectionFragmentName('resources')).length).toBe(0);
  });

  it('is idempotent and leaves existing sections alone', () => {
    const doc = initialised();
    setSectionStatus(doc, 'parties', 'agreed', '', 'user-1', 1000);
    const before = readSections(doc);
    expect(countUpdates(doc, () => initialiseDocument(doc, 'cooperation_agreement'))).toBe(0);
    expect(readSections(doc)).toEqual(before);
    expect(readSection(doc, 'parties')?.status).toBe('agreed');
  });

  it('adds only what is missing, in one transaction', () => {
    const doc = initialised();
    sectionsMap(doc).delete('premises');
    sectionsMap(doc).delete('disputes');
    const custom = new Y.Map<unknown>([
      ['order', 100],
      ['status', 'agreed'],
      ['reason', ''],
    ]);
    sectionsMap(doc).set('local_addendum', custom);
    expect(countUpdates(doc, () => initialiseDocument(doc, 'cooperation_agreement'))).toBe(1);
    const keys = readSections(doc).map((s) => s.key);
    expect(keys).toEqual([...templateFor('cooperation_agreement').map((s) => s.key), 'local_addendum']);
    expect(readSection(doc, 'premises')?.order).toBe(10);
  });

  it('converges when two replicas initialise the same document independently', () => {
    const a = initialised();
    const b = initialised();
    setSectionStatus(b, 'purpose', 'agreed', '', 'user-b', 2000);
    sync(a, b);
    const expectedKeys = templateFor('cooperation_agreement').map((s) => s.key);
    for (const doc of [a, b]) {
      const sections = readSections(doc);
      expect(sections.map((s) => s.key)).toEqual(expectedKeys);
      expect(sections.map((s) => s.order)).toEqual(expectedKeys.map((_, i) => i));
    }
    expect(readSections(a)).toEqual(readSections(b));
  });
});

describe('createInitialState', () => {
  it('is an update that yields the initialised layout', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, createInitialState('authority_task_agreement'));
    expect(readSections(doc).map((s) => s.key)).toEqual(templateFor('authority_task_agreement').map((s) => s.key));
  });

  it('gives each section once even when two initial states are stored', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, createInitialState('administrative_rules'));
    Y.applyUpdate(doc, createInitialState('administrative_rules'));
    expect(readSections(doc)).toHaveLength(4);
  });
});

describe('readSections', () => {
  it('skips malformed entries and sorts by order, then key', () => {
    const doc = new Y.Doc();
    const sections = sectionsMap(doc);
    const entry = (order: unknown, status: unknown) =>
      new Y.Map<unknown>([
        ['order', order],
        ['status', status],
        ['reason', ''],
      ]);
    sections.set('b', entry(1, 'drafting'));
    sections.set('a', entry(1, 'agreed'));
    sections.set('c', entry(0, 'drafting'));
    sections.set('plain_object', { order: 2, status: 'drafting', reason: '' });
    sections.set('bad_status', entry(3, 'done'));
    sections.set('no_order', entry(undefined, 'drafting'));
    sections.set('nan_order', entry(Number.NaN, 'drafting'));
    expect(readSections(doc).map((s) => s.key)).toEqual(['c', 'a', 'b']);
  });
});

describe('setSectionStatus', () => {
  it('requires a written reason to mark a section not applicable, and changes nothing without one', () => {
    const doc = initialised();
    for (const reason of ['', '   \n ']) {
      const updates = countUpdates(doc, () => {
        expect(layoutError(() => setSectionStatus(doc, 'premises', 'not_applicable', reason, 'u1')).code).toBe(
          'reason_required',
        );
      });
      expect(updates).toBe(0);
    }
    expect(readSection(doc, 'premises')?.status).toBe('drafting');
  });

  it('records status, trimmed reason, who and when', () => {
    const doc = initialised();
    const reason = '  The host owns no premises.  ';
    expect(setSectionStatus(doc, 'premises', 'not_applicable', reason, 'u1', 1234)).toBe(true);
    expect(readSection(doc, 'premises')).toEqual({
      key: 'premises',
      order: 10,
      status: 'not_applicable',
      reason: 'The host owns no premises.',
      updatedBy: 'u1',
      updatedAt: 1234,
    });
  });

  it('clears the reason when a section goes back to drafting or is agreed', () => {
    const doc = initialised();
    setSectionStatus(doc, 'premises', 'not_applicable', 'No premises.', 'u1');
    setSectionStatus(doc, 'premises', 'drafting', 'ignored', 'u2');
    expect(readSection(doc, 'premises')).toMatchObject({ status: 'drafting', reason: '', updatedBy: 'u2' });
    setSectionStatus(doc, 'premises', 'not_applicable', 'No premises.', 'u1');
    setSectionStatus(doc, 'premises', 'agreed', 'ignored', 'u1');
    expect(readSection(doc, 'premises')).toMatchObject({ status: 'agreed', reason: '' });
  });

  it('writes nothing when nothing changes', () => {
    const doc = initialised();
    setSectionStatus(doc, 'premises', 'agreed', '', 'u1', 1);
    let changed = true;
    expect(countUpdates(doc, () => (changed = setSectionStatus(doc, 'premises', 'agreed', '', 'u2', 2)))).toBe(0);
    expect(changed).toBe(false);
    expect(readSection(doc, 'premises')?.updatedBy).toBe('u1');
  });

  it('rejects unknown sections, unknown statuses and overlong reasons', () => {
    const doc = initialised();
    expect(layoutError(() => setSectionStatus(doc, 'nope', 'agreed', '', 'u1')).code).toBe('unknown_section');
    expect(layoutError(() => setSectionStatus(doc, 'parties', 'done' as SectionStatus, '', 'u1')).code).toBe(
      'invalid_status',
    );
    const long = 'x'.repeat(REASON_MAX_LENGTH + 1);
    expect(layoutError(() => setSectionStatus(doc, 'parties', 'not_applicable', long, 'u1')).code).toBe(
      'reason_too_long',
    );
    sectionsMap(doc).set('plain_object', { order: 2, status: 'drafting', reason: '' });
    expect(layoutError(() => setSectionStatus(doc, 'plain_object', 'agreed', '', 'u1')).code).toBe('unknown_section');
  });

  it('is an Error with a name and a code', () => {
    const error = layoutError(() => setSectionStatus(initialised(), 'nope', 'agreed', '', 'u1'));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LayoutError');
  });

  it('merges a status change with a concurrent reorder of the same section field by field', () => {
    const a = initialised();
    const b = new Y.Doc();
    sync(a, b);
    setSectionStatus(a, 'premises', 'agreed', '', 'u1');
    const entry = sectionsMap(b).get('premises');
    if (!(entry instanceof Y.Map)) throw new Error('premises is not a Y.Map');
    entry.set('order', 2.5);
    sync(a, b);
    expect(readSection(a, 'premises')).toMatchObject({ status: 'agreed', order: 2.5 });
    expect(readSection(b, 'premises')).toEqual(readSection(a, 'premises'));
  });

  it('lets one whole change win when two users set the same section concurrently', () => {
    const a = initialised();
    const b = new Y.Doc();
    sync(a, b);
    setSectionStatus(a, 'premises', 'not_applicable', 'No premises.', 'u1');
    setSectionStatus(b, 'premises', 'agreed', '', 'u2');
    sync(a, b);
    const merged = readSection(a, 'premises');
    expect(merged).toEqual(readSection(b, 'premises'));
    expect([
      { status: 'not_applicable', reason: 'No premises.', updatedBy: 'u1' },
      { status: 'agreed', reason: '', updatedBy: 'u2' },
    ]).toContainEqual({ status: merged?.status, reason: merged?.reason, updatedBy: merged?.updatedBy });
  });
});
