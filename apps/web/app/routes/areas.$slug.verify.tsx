import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { isDomainError, requireAreaAccess, verifyExport, VERIFY_MAX_BYTES, type RouteHandle, type VerifyMiss } from '@sopu/core';
import { VerifyForms } from '../components/exports/VerifyForms.tsx';
import { VerifyAnswer } from '../components/exports/VerifyAnswer.tsx';
import { Main } from '../components/main.tsx';
import { orHttpError, toHttpError } from '../errors.server.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): every member of the area. The answer covers
 * the person's own areas (verifyExport), as the API's does.
 */
export const handle = { access: { area: 'area.read' } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('exports.verifyTitle'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const slug = args.params.slug ?? '';
  await orHttpError(args.request, requireAreaAccess(args.context.deps.db, actor.userId, slug, 'area.read'));
  return { slug, maxMegabytes: VERIFY_MAX_BYTES / 1024 / 1024 };
}

/** Why nothing was answered, as the page words it. */
export type VerifyRefusal = VerifyMiss | 'not_pdf_or_docx' | 'bad_hash' | 'no_file' | 'too_large';

/** What the person sent, to check: a file (the multipart field `file`) or a pasted hash. */
async function sent(request: Request): Promise<{ intent: 'file'; file: File | null } | { intent: 'hash'; hash: string }> {
  const form = await request.formData();
  if (form.get('intent') === 'hash') return { intent: 'hash', hash: String(form.get('hash') ?? '') };
  const file = form.get('file');
  // A form sent without choosing a file carries an empty, unnamed one.
  return { intent: 'file', file: file instanceof File && (file.size > 0 || file.name !== '') ? file : null };
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  // Authorise before reading the upload: an outsider gets 404.
  await orHttpError(args.request, requireAreaAccess(deps.db, actor.userId, args.params.slug ?? '', 'area.read'));
  const input = await sent(args.request);
  if (input.intent === 'file' && !input.file) return { ok: false as const, intent: input.intent, reason: 'no_file' as VerifyRefusal };
  try {
    const raw = input.intent === 'hash' ? { hash: input.hash } : { file: new Uint8Array(await input.file!.arrayBuffer()) };
    const result = await verifyExport(deps, actor, raw);
    return { ok: true as const, intent: input.intent, fileName: input.intent === 'file' ? input.file!.name : null, result };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const reason = error.details.reason;
    const refusal: VerifyRefusal | null =
      error.code === 'not_found' && typeof reason === 'string'
        ? (reason as VerifyMiss)
        : error.code === 'too_large'
          ? 'too_large'
          : error.code === 'invalid_input'
            ? input.intent === 'hash'
              ? 'bad_hash'
              : 'not_pdf_or_docx'
            : null;
    if (!refusal) toHttpError(error, args.request);
    return { ok: false as const, intent: input.intent, reason: refusal, fileName: input.intent === 'file' ? input.file!.name : null };
  }
}

/** Drop an exported file, or paste a hash: which area, document and version it is, and where the councils stand on it. */
export default function Verify() {
  const { slug, maxMegabytes } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useT();
  return (
    <Main>
      <h1>{t('exports.verifyTitle')}</h1>
      <p>{t('exports.verifyIntro')}</p>
      <VerifyForms maxMegabytes={maxMegabytes} answer={answer} />
      {answer ? <VerifyAnswer slug={slug} answer={answer} /> : null}
    </Main>
  );
}
