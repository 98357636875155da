import { z } from 'zod';
import { DomainError } from './errors.ts';
import { nameText } from './text.ts';

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
/** A person's display name: one line, no bidi controls (text.ts); unique in an area (members/members.ts). */
export const displayNameSchema = nameText(120);

/** Parses use-case input; a failure is invalid_input carrying the zod issues for the transport to show. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new DomainError('invalid_input', 'invalid input', {
      // A custom issue may name its own code (`params.code`: areas/typed-number.rules.ts's not_whole, …).
      issues: result.error.issues.map((i) => ({ path: i.path.map(String), code: i.code === 'custom' && typeof i.params?.code === 'string' ? i.params.code : i.code, message: i.message })),
    });
  }
  return result.data;
}
