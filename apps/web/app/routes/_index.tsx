import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getArea, getMe } from '@sopu/core';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { areaName, municipalityName } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: 'signed-in' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('home.title')]);

const areaPath = (slug: string) => `/areas/${encodeURIComponent(slug)}`;

/** One area: straight there. Several: a chooser (the header's area switcher submits here with ?area=). None: a note. */
export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args;
  const actor = await requireActor(args);
  const me = await orHttpError(request, getMe(context.deps.db, actor));
  const wanted = new URL(request.url).searchParams.get('area');
  const chosen = me.memberships.find((m) => m.areaSlug === wanted) ?? (me.memberships.length === 1 ? me.memberships[0] : undefined);
  if (chosen) throw redirect(areaPath(chosen.areaSlug));
  const areas = await Promise.all(
    me.memberships.map(async (m) => {
      const area = await orHttpError(request, getArea(context.deps.db, actor, m.areaSlug));
      const municipality = area.municipalities.find((x) => x.id === m.municipalityId);
      return { slug: m.areaSlug, name: m.areaName, role: m.role, municipality: municipality?.name ?? null };
    }),
  );
  return { areas };
}

export default function Home() {
  const { areas } = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  if (areas.length === 0) {
    return (
      <Main>
        <h1>{t('home.noAreasTitle')}</h1>
        <p>{t('home.noAreasBody')}</p>
      </Main>
    );
  }
  return (
    <Main>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <ul className="card-list">
        {areas.map((area) => (
          <li key={area.slug} className="card">
            <Link to={areaPath(area.slug)} className="card-title">
              {areaName(area.name, lang)}
            </Link>
            <p className="muted">{area.municipality ? t('home.roleIn', { role: t(`roles.${area.role}`), municipality: municipalityName(area.municipality, lang) }) : t(`roles.${area.role}`)}</p>
          </li>
        ))}
      </ul>
    </Main>
  );
}
