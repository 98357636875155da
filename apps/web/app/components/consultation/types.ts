import { useLoaderData } from '@remix-run/react';
import type { loader } from '../../routes/areas.$slug.rounds.$consultationRoundId.tsx';

export type Round = ReturnType<typeof useLoaderData<typeof loader>>['round'];

export type Invitee = Round['invitees'][number];

export type Statement = NonNullable<Invitee['statement']>;
