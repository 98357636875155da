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

/**
 * A JSON request body, described for the OpenAPI document only: its rules are the use case's (core parses it, after
 * checking who may call), so that a forbidden caller hears "forbidden" or "not found", never "your body is wrong".
 * The schema is plain JSON Schema, which the route's validator leaves alone.
 */
export const describedBody = (schema: Record<string, unknown>, required = true) => ({
  body: { required, content: { 'application/json': { schema } } },
});

/** What a body that is not JSON is for the use case: a value no input schema accepts. */
const NOT_JSON = Object.freeze(['not JSON']);

/**
 * The request's JSON body for the use case to parse: undefined when there is none, a value every input schema
 * refuses when it is not JSON or not sent as JSON.
 */
export async function jsonOf(c: { req: { header(name: string): string | undefined; text(): Promise<string> } }): Promise<unknown> {
  const type = c.req.header('content-type');
  const text = await c.req.text();
  if (!type && text === '') return undefined;
  if (!type?.toLowerCase().startsWith('application/json')) return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}
