import { z } from '@hono/zod-openapi';

/** Shared OpenAPI schemas of the HTTP contract. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
export const KeyParam = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/)
    .openapi({ param: { name: 'key', in: 'path' } }),
});

export const TaskSummary = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseNumber: z.string(),
    procedure: z.string(),
    title: z.string(),
    state: z.string(),
    group: z.string(),
    assignee: z.string().nullable(),
    dueAt: z.string().nullable(),
    overdue: z.boolean(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    outcome: z.string().nullable(),
  })
  .openapi('TaskSummary');

export const Paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

export const bearer = [{ bearerAuth: [] }];

/** The tenant's contact for feedback on barriers and its statement's date (BITV 2.0 § 7). */
export const TenantContactSchema = z
  .object({
    email: z.email('Bitte eine gültige E-Mail-Adresse angeben, z. B. barrierefreiheit@musterstadt.de').max(200),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()/-]{4,29}$/, 'Bitte eine Telefonnummer angeben, z. B. 0221 12345-0'),
    address: z
      .array(z.string().trim().min(1, 'Bitte keine leeren Zeilen').max(200, 'Höchstens 200 Zeichen je Zeile'))
      .min(2, 'Bitte mindestens Straße und Ort angeben')
      .max(6, 'Höchstens 6 Zeilen'),
    reviewedOn: z.iso.date('Bitte ein Datum angeben, z. B. 2026-11-21'),
  })
  .openapi('TenantContact');
