import { z } from '@hono/zod-openapi';
import type { Actor } from '@sopu/core';

/** What the API's handlers find on the context once the session is checked. */
export type Vars = { Variables: { actor: Actor; token: string } };

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.unknown()).optional() }) })
  .openapi('Error');

/** Error responses of an operation, by status, in the one error shape. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]));

/** A path parameter that is one of our ids (UUIDs); anything else is answered 404 by the use case. */
export const idParam = (name: string) => z.string().min(1).max(64).openapi({ param: { name, in: 'path' }, example: '3f2a6c1e-8d4b-4c7a-9e11-2b5d7a9c0f13' });

/** Times in the API are ISO 8601 in UTC. */
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
