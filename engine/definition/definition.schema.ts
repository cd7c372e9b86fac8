import { z } from 'zod';
import { formSchema } from './form.schema.ts';

/** The definition format version this engine writes; older ones are migrated on read. */
export const SCHEMA_VERSION = 1;

const stateId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'Zustands-ID: Buchstabe, dann Buchstaben, Ziffern, _ oder -');
const feel = z.string().min(1).max(2000);
const isoDuration = z
  .string()
  .regex(
    /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
    'ISO-8601-Dauer wie P7D oder PT2H',
  );

/**
 * When a timer is due: an ISO 8601 duration (calendar time), a number of working days counted with the
 * tenant's holiday calendar (§ 31 VwVfG), or an instant computed from the case data (`at`: a FEEL
 * expression yielding a date — due at 08:00 local time — or a date and time, e.g.
 * `date(pickupDate) - duration("P2D")`; an instant already past is due at once).
 */
export const delaySchema = z.union([
  z.object({ duration: isoDuration }).strict(),
  z.object({ workingDays: z.number().int().min(1).max(3650) }).strict(),
  z.object({ at: feel }).strict(),
]);
export type Delay = z.infer<typeof delaySchema>;

/**
 * A transition. `on` names the event: a task outcome id, `done`/`failed` for a service step,
 * a message name for a wait state, `timeout` for timers; decisions leave it out.
 * `guard` is a FEEL expression over the case variables (and the event's data).
 */
export const transitionSchema = z
  .object({
    on: z.string().min(1).max(100).optional(),
    target: stateId,
    guard: feel.optional(),
    label: z.string().max(200).optional(),
  })
  .strict();
export type Transition = z.infer<typeof transitionSchema>;

const outcomeSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'Ergebnis-ID: Kleinbuchstaben, Ziffern, _ oder -'),
    label: z.string().min(1).max(100),
  })
  .strict();

/** Connector call retries: how often and how far apart (exponential backoff with jitter). */
export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(5),
    initialDelay: isoDuration.default('PT5S'),
    maxDelay: isoDuration.default('PT1H'),
    factor: z.number().min(1).max(10).default(2),
  })
  .strict();
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

const common = {
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  /** Public status label shown to the citizen from the moment the case enters this state. */
  status: z.string().min(1).max(100).optional(),
  /** Position on the designer canvas; layout only. */
  position: z.object({ x: z.number(), y: z.number() }).strict().optional(),
  transitions: z.array(transitionSchema).default([]),
};

export const taskStateSchema = z
  .object({
    kind: z.literal('task'),
    ...common,
    title: z.string().min(1).max(200),
    group: z.string().min(1).max(100),
    form: formSchema.optional(),
    outcomes: z.array(outcomeSchema).optional(),
    due: delaySchema.optional(),
    /** Boundary timer: when it runs out the task is cancelled and the `timeout` transition taken. */
    timeout: delaySchema.optional(),
  })
  .strict();

export const serviceStateSchema = z
  .object({
    kind: z.literal('service'),
    ...common,
    /** Versioned connector id (`payment@1`); empty while an imported step is not bound yet. */
    connector: z.string().max(100),
    operation: z.string().max(100),
    /** Operation input: field name → FEEL expression over the case variables. */
    input: z.record(z.string(), feel).default({}),
    /** Result mapping: case variable → FEEL expression over `result` and the case variables. */
    result: z.record(z.string(), feel).default({}),
    retry: retryPolicySchema.optional(),
  })
  .strict();

export const waitStateSchema = z
  .object({
    kind: z.literal('wait'),
    ...common,
    timeout: delaySchema.optional(),
  })
  .strict();

export const decisionStateSchema = z.object({ kind: z.literal('decision'), ...common }).strict();

export const timerStateSchema = z.object({ kind: z.literal('timer'), ...common, delay: delaySchema }).strict();

export const finalStateSchema = z
  .object({
    kind: z.literal('final'),
    ...common,
    outcome: z.string().min(1).max(100),
    status: z.string().min(1).max(100),
  })
  .strict();

export const stateSchema = z.discriminatedUnion('kind', [
  taskStateSchema,
  serviceStateSchema,
  waitStateSchema,
  decisionStateSchema,
  timerStateSchema,
  finalStateSchema,
]);
export type State = z.infer<typeof stateSchema>;
export type StateKind = State['kind'];
export type TaskState = z.infer<typeof taskStateSchema>;
export type ServiceState = z.infer<typeof serviceStateSchema>;

/** A procedure definition (Verfahren): plain, versioned JSON; the single source of truth. */
export const definitionSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    key: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'Schlüssel: Kleinbuchstaben, Ziffern und -'),
    title: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    /** Prefix of the case number (Aktenzeichen), e.g. `GEB` for `GEB-2026-000123`. */
    caseNumberPrefix: z.string().regex(/^[A-Z]{2,8}$/, 'Präfix: 2 bis 8 Großbuchstaben'),
    /** Search words for the service catalogue ("Hund anmelden"). */
    synonyms: z.array(z.string().max(100)).default([]),
    /** The life situation the catalogue groups the service under. */
    category: z.string().max(100).optional(),
    fee: z.string().max(200).optional(),
    duration: z.string().max(200).optional(),
    requiresLogin: z.boolean().default(false),
    /** The citizen's application form. */
    form: formSchema,
    /** Variables every case starts with (tenant values such as fees), merged under the application data. */
    constants: z.record(z.string(), z.unknown()).default({}),
    initial: stateId,
    states: z.record(stateId, stateSchema),
  })
  .strict();

export type Definition = z.infer<typeof definitionSchema>;
/** A definition as authored (defaults not yet applied). */
export type DefinitionInput = z.input<typeof definitionSchema>;

export function parseDefinition(input: unknown) {
  return definitionSchema.safeParse(input);
}
