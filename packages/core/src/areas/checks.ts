import { canonicalSections, sectionPlainText, templateFor, documentTitle as defaultTitle, type ProseMirrorJSON } from '@sopu/doc-model';
import { requireAreaAccess } from '../shared/access.ts';
import { listMunicipalities } from '../shared/tenancy.repository.ts';
import { jointBodyOf } from './settings.ts';
import { compareGeneratedTables } from './agreement-tables.ts';
import {
  CHECKED_KINDS, generatedTableCheck, labourForceCheck, majorityCheck, mentionsTieRule, refersTo54, requiredDocumentsCheck, requiredTopicsCheck, tieRuleCheck, type CheckedKind, type CheckStatus, type CheckVerdict, type Localised,
} from './checks.rules.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { loadRepairedDocument } from '../documents/index.ts';
import { withoutPlaceholders } from '../shared/placeholder.ts';

/**
 * The checks panel (docs/decisions/019): what the law implies for the area, from its settings and its documents'
 * text. Read-only; any member may see it. Each check names the section of the agreement where it is settled.
 */

export interface AreaCheck {
  /**
   * Stable: labour_force_threshold, joint_body_majority, joint_body_tie_rule, required_documents,
   * required_topics:<documentId>, agreement_table:<kind> (chair_rotation, cost_shares: a table Sopu inserted and
   * still in the agreement, compared with the settings).
   */
  id: string;
  status: CheckStatus;
  message: Localised;
  section?: { documentId: string; key: string };
}

/** The text of a section that says something: not its headings, not the template's placeholders. */
function substance(node: ProseMirrorJSON): string {
  if (node.type === 'heading') return '';
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(substance).join(' ');
}

/**
 * Whether a section's text covers its topic: something written besides headings and "[Täydennetään…]"
 * placeholders (issue 21: a heading alone or the template's placeholder is not coverage).
 */
export function coversTopic(content: ProseMirrorJSON): boolean {
  return withoutPlaceholders(substance(content)).trim() !== '';
}

const TIE_SECTIONS = ['body_composition', 'governance'] as const;

/**
 * The verdicts last computed for an area, per database, under the fingerprint of everything they were computed from
 * (checksFingerprint). A page that shows the checks (the agreement's, the area's) reads the fingerprint, a few small
 * queries, instead of loading and reading every checked document again while nothing has changed. Never by time:
 * any change to an input changes the fingerprint, also when another process wrote it (two web processes can serve
 * one database, issue 23).
 */
const computed = new WeakMap<object, Map<string, { fingerprint: string; checks: AreaCheck[] }>>();
const CACHED_AREAS = 200;

/**
 * What the checks of an area are computed from, as stored: the area's settings, its municipalities (figures, seats,
 * names), its checked documents (which, their titles) and each one's stored text (the newest update's and the
 * snapshot's sequence numbers and times: updates are only appended, a snapshot only replaced by a newer one), and
 * its cost-share calculations. Read before the inputs themselves, so that verdicts are never older than their key.
 */
async function checksFingerprint(deps: CoreDeps, area: Awaited<ReturnType<typeof requireAreaAccess>>['area'], municipalities: unknown, documents: Array<{ id: string; kind: string; title: string }>): Promise<string> {
  const ids = documents.map((d) => d.id);
  const [updates, snapshots, costShares] = ids.length === 0
    ? [[], [], []]
    : await Promise.all([
        deps.db
          .selectFrom('doc_updates')
          .select(['document_id', (eb) => eb.fn.max('seq').as('seq'), (eb) => eb.fn.max('created_at').as('at'), (eb) => eb.fn.countAll().as('n')])
          .where('document_id', 'in', ids)
          .groupBy('document_id')
          .orderBy('document_id')
          .execute(),
        deps.db.selectFrom('doc_snapshots').select(['document_id', 'seq', 'created_at']).where('document_id', 'in', ids).orderBy('document_id').execute(),
        deps.db.selectFrom('cost_share_calculations').selectAll().where('area_id', '=', area.id).orderBy('id').execute(),
      ]);
  return JSON.stringify([area, municipalities, documents, updates, snapshots, costShares]);
}

export async function listChecks(deps: CoreDeps, actor: Actor, slug: string): Promise<AreaCheck[]> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug);
  const municipalities = await listMunicipalities(deps.db, area);
  const documents = await deps.db
    .selectFrom('documents')
    .select(['id', 'kind', 'title'])
    .where('area_id', '=', area.id)
    .where('kind', 'in', [...CHECKED_KINDS])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const fingerprint = await checksFingerprint(deps, area, municipalities, documents);
  let byArea = computed.get(deps.db);
  if (!byArea) computed.set(deps.db, (byArea = new Map()));
  const known = byArea.get(area.id);
  if (known?.fingerprint === fingerprint) return known.checks.map((c) => ({ ...c }));
  const checks = await computeChecks(deps, area, municipalities, documents);
  byArea.delete(area.id);
  if (byArea.size >= CACHED_AREAS) byArea.delete(byArea.keys().next().value!);
  byArea.set(area.id, { fingerprint, checks });
  return checks.map((c) => ({ ...c }));
}

/** The checks themselves, from the area's inputs (each checked document's text read as stored). */
async function computeChecks(
  deps: CoreDeps,
  area: Awaited<ReturnType<typeof requireAreaAccess>>['area'],
  municipalities: Awaited<ReturnType<typeof listMunicipalities>>,
  documents: Array<{ id: string; kind: string; title: string }>,
): Promise<AreaCheck[]> {
  const agreement = documents.find((d) => d.kind === 'cooperation_agreement') ?? null;
  const inAgreement = (verdict: CheckVerdict) => (agreement && verdict.sectionKey ? { section: { documentId: agreement.id, key: verdict.sectionKey } } : {});
  const checks: AreaCheck[] = [];

  const threshold = labourForceCheck({
    municipalities,
    exceptionGrounds: area.exceptionGrounds,
    permit: area.exceptionPermit,
    hasServicePlan: documents.some((d) => d.kind === 'service_plan'),
  });
  checks.push({ id: 'labour_force_threshold', status: threshold.status, message: threshold.message, ...inAgreement(threshold) });

  const names = new Map(municipalities.map((m) => [m.code, m.name]));
  const { shares } = jointBodyOf(area, municipalities);
  const majority = majorityCheck(shares, names);
  checks.push({ id: 'joint_body_majority', status: majority.status, message: majority.message, ...inAgreement(majority) });

  const topicChecks: AreaCheck[] = [];
  const tableChecks: AreaCheck[] = [];
  let refersToAuthorityAgreement = false;
  let tieRule = { found: false, sectionTitle: null as Localised | null };
  for (const document of documents) {
    const kind = document.kind as CheckedKind;
    const doc = await loadRepairedDocument(deps, { id: document.id, areaId: area.id, kind: document.kind }, { readIfBusy: true });
    try {
      const sections = new Map(canonicalSections(doc).map((s) => [s.key, s]));
      const topics = templateFor(kind).map((t) => {
        const s = sections.get(t.key);
        const covered = s !== undefined && (coversTopic(s.content) || (s.status === 'not_applicable' && s.reason.trim() !== ''));
        return { key: t.key, title: t.title, covered };
      });
      const verdict = requiredTopicsCheck(kind, topics, document.title === defaultTitle(kind).fi ? null : document.title);
      topicChecks.push({ id: `required_topics:${document.id}`, status: verdict.status, message: verdict.message, ...(verdict.sectionKey ? { section: { documentId: document.id, key: verdict.sectionKey } } : {}) });
      if (document.id === agreement?.id) {
        refersToAuthorityAgreement = [...sections.keys()].some((key) => refersTo54(sectionPlainText(doc, key)));
        const key = TIE_SECTIONS.find((k) => mentionsTieRule(sectionPlainText(doc, k)));
        if (key) tieRule = { found: true, sectionTitle: templateFor('cooperation_agreement').find((t) => t.key === key)!.title };
        for (const table of await compareGeneratedTables(deps, area, doc, municipalities)) {
          const verdict = generatedTableCheck(table.title, table.differs, table.section);
          tableChecks.push({ id: `agreement_table:${table.kind}`, status: verdict.status, message: verdict.message, section: { documentId: document.id, key: table.section } });
        }
      }
    } finally {
      doc.destroy();
    }
  }
  const documentsCheck = requiredDocumentsCheck({
    hasServicePlan: documents.some((d) => d.kind === 'service_plan'),
    hasAuthorityAgreement: documents.some((d) => d.kind === 'authority_task_agreement'),
    agreementRefersTo54: refersToAuthorityAgreement,
  });
  const tie = tieRuleCheck(shares, names, tieRule);
  checks.push({ id: 'joint_body_tie_rule', status: tie.status, message: tie.message, ...inAgreement(tie) });
  checks.push(...tableChecks);
  checks.push({ id: 'required_documents', status: documentsCheck.status, message: documentsCheck.message });
  checks.push(...topicChecks);
  return checks;
}
