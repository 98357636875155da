import { generateToken, hashToken } from '@sopu/auth';
import type { Db } from '@sopu/db';
import { z } from 'zod';
import { requireAreaAccess } from '../shared/access.ts';
import { findMembership, findMunicipalityByCode } from '../shared/tenancy.repository.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';

/**
 * Tokens the host admin issues to one municipality so that its council's case-management system can post that
 * council's decisions (docs/decisions/017-council-approvals.md). The secret is shown once and stored as its sha256;
 * the prefix tells a token from a session token before anything is looked up, so neither ever passes for the other.
 */
export const APPROVAL_TOKEN_PREFIX = 'sopu_at_';
const TOKEN_MAX_LENGTH = 200;

/** The approval token in an Authorization header (`Bearer sopu_at_…`), or null when there is none (a session may be). */
export function readApprovalToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const token = match?.[1];
  return token && token.startsWith(APPROVAL_TOKEN_PREFIX) ? token : null;
}

export interface ApprovalTokenView {
  id: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
  label: string;
  createdAt: number;
  createdBy: { id: string; name: string } | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** What the host admin sees once, when issuing: the token itself, never shown or stored again. */
export interface IssuedApprovalToken extends ApprovalTokenView {
  token: string;
}

/** The municipality and area a valid token speaks for. */
export interface ApprovalTokenPrincipal {
  id: string;
  areaId: string;
  areaSlug: string;
  municipalityId: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
  label: string;
}

export const issueApprovalTokenInput = z.strictObject({
  municipalityCode: z.string().trim().min(1).max(10),
  label: userText({ max: 100 }),
});

function tokenQuery(db: Db, areaId: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('municipalities', 'municipalities.id', 'api_tokens.municipality_id')
    .leftJoin('users', 'users.id', 'api_tokens.created_by')
    .select([
      'api_tokens.id', 'api_tokens.label', 'api_tokens.created_at', 'api_tokens.created_by', 'api_tokens.revoked_at', 'api_tokens.last_used_at',
      'municipalities.code', 'municipalities.name_fi', 'municipalities.name_sv', 'users.display_name',
    ])
    .where('api_tokens.area_id', '=', areaId);
}

type TokenRow = Awaited<ReturnType<ReturnType<typeof tokenQuery>['execute']>>[number];
const toView = (r: TokenRow): ApprovalTokenView => ({
  id: r.id,
  municipalityCode: r.code,
  municipalityName: { fi: r.name_fi, sv: r.name_sv },
  label: r.label,
  createdAt: r.created_at,
  createdBy: r.created_by ? { id: r.created_by, name: r.display_name ?? '' } : null,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

/** Issues a token for one municipality of the area (host admin); the returned `token` is the only copy. */
export async function issueApprovalToken(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<IssuedApprovalToken> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'approvals.tokens');
  const input = parseInput(issueApprovalTokenInput, raw);
  const municipality = await findMunicipalityByCode(deps.db, area.id, input.municipalityCode);
  if (!municipality) throw new DomainError('invalid_input', 'no such municipality in this area', { issues: [{ path: ['municipalityCode'], code: 'not_found', message: 'no such municipality in this area' }] });
  const token = `${APPROVAL_TOKEN_PREFIX}${generateToken()}`;
  const id = newId();
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_tokens')
      .values({ id, area_id: area.id, municipality_id: municipality.id, label: input.label, token_hash: hashToken(token), created_by: actor.userId, created_at: now, revoked_at: null, last_used_at: null })
      .execute();
    await deps.audit.append(trx, { areaId: area.id, actorUserId: actor.userId, action: 'approval_token.issued', subjectType: 'api_token', subjectId: id, details: { municipalityCode: municipality.code, label: input.label } }, now);
  });
  const view = await tokenQuery(deps.db, area.id).where('api_tokens.id', '=', id).executeTakeFirstOrThrow();
  return { ...toView(view), token };
}

/** The area's tokens, newest first, revoked ones included (when, and last used); never their secrets. */
export async function listApprovalTokens(deps: CoreDeps, actor: Actor, slug: string): Promise<ApprovalTokenView[]> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'approvals.tokens');
  const rows = await tokenQuery(deps.db, area.id).orderBy('api_tokens.created_at', 'desc').orderBy('api_tokens.id').execute();
  return rows.map(toView);
}

/** Revokes a token at once (host admin); revoking a revoked token changes nothing. Another area's token is not found. */
export async function revokeApprovalToken(deps: CoreDeps, actor: Actor, apiTokenId: string): Promise<void> {
  const row = typeof apiTokenId === 'string' && apiTokenId.length <= 64 ? await deps.db.selectFrom('api_tokens').select(['id', 'area_id', 'revoked_at', 'label', 'municipality_id']).where('id', '=', apiTokenId).executeTakeFirst() : undefined;
  const membership = row && (await findMembership(deps.db, row.area_id, actor.userId));
  if (!row || !membership) throw new DomainError('not_found', 'token not found');
  if (!can(membership, 'approvals.tokens')) throw new DomainError('forbidden', 'requires approvals.tokens');
  if (row.revoked_at !== null) return;
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', row.id).where('area_id', '=', row.area_id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return;
    const municipality = await trx.selectFrom('municipalities').select('code').where('id', '=', row.municipality_id).executeTakeFirst();
    await deps.audit.append(trx, { areaId: row.area_id, actorUserId: actor.userId, action: 'approval_token.revoked', subjectType: 'api_token', subjectId: row.id, details: { municipalityCode: municipality?.code ?? null, label: row.label } }, now);
  });
}

/** The municipality behind a token that exists and is not revoked; null for anything else. */
export async function authenticateApprovalToken(db: Db, token: string | null | undefined): Promise<ApprovalTokenPrincipal | null> {
  if (typeof token !== 'string' || !token.startsWith(APPROVAL_TOKEN_PREFIX) || token.length > TOKEN_MAX_LENGTH) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('municipalities', 'municipalities.id', 'api_tokens.municipality_id')
    .innerJoin('areas', 'areas.id', 'api_tokens.area_id')
    .select(['api_tokens.id', 'api_tokens.area_id', 'api_tokens.municipality_id', 'api_tokens.label', 'areas.slug', 'municipalities.code', 'municipalities.name_fi', 'municipalities.name_sv'])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('api_tokens.revoked_at', 'is', null)
    // A suspended area's tokens speak for nobody while it is suspended (docs/decisions/019).
    .where('areas.status', '=', 'active')
    .whereRef('municipalities.area_id', '=', 'api_tokens.area_id')
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, areaId: row.area_id, areaSlug: row.slug, municipalityId: row.municipality_id, municipalityCode: row.code, municipalityName: { fi: row.name_fi, sv: row.name_sv }, label: row.label };
}
