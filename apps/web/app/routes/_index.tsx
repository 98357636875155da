import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

export async function loader({ context }: LoaderFunctionArgs) {
  const areas = await context.deps.db.selectFrom('areas').select('slug').execute();
  return { areas: areas.map((a) => a.slug) };
}

export default function Index() {
  const { areas } = useLoaderData<typeof loader>();
  return <main><h1>Sopu</h1><p>{areas.join(', ')}</p></main>;
}
