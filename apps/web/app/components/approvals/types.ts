import { useLoaderData } from '@remix-run/react';
import type { loader } from '../../routes/areas.$slug.approvals.tsx';

export type Overview = ReturnType<typeof useLoaderData<typeof loader>>['overview'];

export type Versions = ReturnType<typeof useLoaderData<typeof loader>>['versions'];

export type Tokens = ReturnType<typeof useLoaderData<typeof loader>>['tokens'];

export type Decision = Overview['requests'][number]['decisions'][number];

export const short = (hash: string) => `${hash.slice(0, 4)}…`;
