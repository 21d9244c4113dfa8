// `acknowledge:` in a config: planner warnings the team has reviewed and accepted, each with its reason.
import { z } from 'zod';

export const acknowledgementSchema = z.strictObject({
  /** The warning's code as `validate` and `explain` print it, e.g. CORS_RESPONSE_HEADERS_FROM_UPSTREAM. */
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'a warning code is upper case with "_", as validate prints it (e.g. RETRIES_CUT_BY_DEADLINE)'),
  /** Config path the warning is at (as printed, e.g. gateways.public.cors); it also covers everything below. Unset: everywhere. */
  where: z.string().min(1).optional(),
  /** Why the warning is fine for this config; `explain` prints it. */
  reason: z.string().min(1, 'say why the warning is acceptable, for the next reviewer'),
});

export const acknowledgeSchema = z.array(acknowledgementSchema).default([]);

export type Acknowledgement = z.output<typeof acknowledgementSchema>;
