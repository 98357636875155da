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
