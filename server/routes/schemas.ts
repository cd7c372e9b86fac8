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
