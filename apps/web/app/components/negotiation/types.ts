// The shapes the document page's loader gives the negotiation's components (a type-only import of the route's loader).
import type { loader } from '../../routes/areas.$slug.documents.$documentId.tsx';
import type { useLoaderData } from '@remix-run/react';

export type DocumentPageData = ReturnType<typeof useLoaderData<typeof loader>>;
export type NegotiationData = DocumentPageData['negotiation'];
