import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem } from '../http/problem.ts';
import { isSandboxId } from '../store/sandbox-store.kysely.ts';
import { tenantOf } from './procedures.routes.ts';
import { json, jsonBody, problem } from './schemas.ts';
import { checkedFormData } from './task-completion.ts';

const Application = z
  .object({
    procedure: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'Unbekanntes Verfahren'),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Application');
const Submitted = z
  .object({ caseId: z.string(), caseNumber: z.string(), trackingCode: z.string(), status: z.string().nullable() })
  .openapi('Submitted');
const PAYMENT_STATUSES = ['open', 'paid', 'failed', 'cancelled'] as const;

const PublicStatus = z
  .object({
    procedure: z.string(),
    caseNumber: z.string(),
    status: z.string().nullable(),
    done: z.boolean(),
    history: z.array(z.object({ at: z.string(), status: z.string() })),
    payUrl: z
      .string()
      .optional()
      .openapi({ description: 'Bezahlseite des Zahlungsanbieters, solange der Vorgang auf diese Zahlung wartet' }),
    paymentStatus: z.enum(PAYMENT_STATUSES).optional().openapi({
      description:
        'Ergebnis der letzten Zahlung laut Verlauf des Vorgangs (`open`, solange keines vorliegt); nur bei Vorgängen mit Zahlung',
    }),
  })
  .openapi('PublicStatus');

/** The provider's pay page while the case waits for a payment (a wait state that moves on `payment.paid`), else none. */
function openPayUrl(
  state: { kind: string; transitions?: { on?: string }[] } | undefined,
  vars: Record<string, unknown>,
) {
  const waitsForPayment = state?.kind === 'wait' && state.transitions?.some((t) => t.on === 'payment.paid');
  const url = vars.payUrl;
  return waitsForPayment && typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}

/** The payment connector's notification messages (`payment@1`) and the outcome each records. */
const PAYMENT_MESSAGES: Record<string, (typeof PAYMENT_STATUSES)[number]> = {
  'message:payment.paid': 'paid',
  'message:payment.failed': 'failed',
  'message:payment.cancelled': 'cancelled',
};

/**
 * The outcome of the case's last payment as its history recorded the provider's notification, `open` while there is
 * none; undefined for a case that never created a payment (`paymentId`). A failed payment stays "failed" while the
 * case offers a new one, so the citizen learns why they are asked to pay again.
 */
function paymentOutcome(vars: Record<string, unknown>, events: (string | null)[]) {
  if (typeof vars.paymentId !== 'string') return undefined;
  for (let i = events.length - 1; i >= 0; i--) {
    const outcome = PAYMENT_MESSAGES[events[i] ?? ''];
    if (outcome) return outcome;
  }
  return 'open';
}

/** The citizen's side: submitting an application and looking up its status by tracking code. */
export function applicationRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/applications',
      tags: ['Anträge'],
      summary: 'Antrag stellen (startet einen Vorgang)',
      request: { body: jsonBody(Application) },
      responses: {
        201: json(Submitted, 'Antrag eingegangen'),
        404: problem('Unbekanntes Verfahren'),
        422: problem('Angaben ungültig; jedes Feld wird genannt'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const { procedure, data } = c.req.valid('json');
      const tenantId = tenantOf(c, services);
      const published = await services.procedures.version(tenantId, procedure);
      if (!published) {
        throw new Problem(404, 'Unbekanntes Verfahren', `Verfahren „${procedure}“ gibt es nicht`, [
          { path: 'procedure', message: 'Unbekanntes Verfahren' },
        ]);
      }
      if (published.definition.requiresLogin) requirePrincipal(c.get('principal'), 'citizen');
      const checked = checkedFormData(
        published.definition.form,
        data,
        published.definition.constants,
        'Angaben unvollständig oder ungültig',
        (count) => `${count} Feld(er) prüfen`,
      );
      const row = await services.engine.start({
        tenantId,
        procedureKey: procedure,
        version: published.version,
        data: checked,
        actor: { kind: 'citizen' },
      });
      return c.json(
        { caseId: row.id, caseNumber: row.caseNumber, trackingCode: row.trackingCode, status: row.publicStatus },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/status/{trackingCode}',
      tags: ['Anträge'],
      summary: 'Wo steht mein Antrag? (öffentliche Statusangaben)',
      request: {
        params: z.object({
          trackingCode: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: 'trackingCode', in: 'path' } }),
        }),
      },
      responses: { 200: json(PublicStatus, 'Status'), 404: problem('Unbekannte Vorgangsnummer') },
    }),
    async (c) => {
      const services = c.get('services');
      const code = c.req.valid('param').trackingCode.toUpperCase();
      const row = await services.queries.caseByTrackingCode(code);
      if (!row || isSandboxId(row.tenantId))
        throw new Problem(404, 'Nicht gefunden', 'Zu dieser Vorgangsnummer gibt es keinen Antrag');
      const published = await services.procedures.version(row.tenantId, row.procedureKey, row.procedureVersion);
      const history: { at: string; status: string }[] = [];
      const entries = await services.queries.history(row.tenantId, row.id);
      for (const h of entries) {
        if (h.publicStatus && history.at(-1)?.status !== h.publicStatus) {
          history.push({ at: h.at.toISOString(), status: h.publicStatus });
        }
      }
      return c.json(
        {
          procedure: published?.title ?? row.procedureKey,
          caseNumber: row.caseNumber,
          status: row.publicStatus,
          done: row.status !== 'active',
          history,
          payUrl:
            row.status === 'active'
              ? openPayUrl(published?.definition.states[row.state], row.snapshot.context.vars)
              : undefined,
          paymentStatus: paymentOutcome(
            row.snapshot.context.vars,
            entries.map((h) => h.event),
          ),
        },
        200,
      );
    },
  );
}
