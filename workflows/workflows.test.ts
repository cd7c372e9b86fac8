import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentConnector } from '../connectors/document-pdf/document-pdf.connector.ts';
import { emailConnector } from '../connectors/email-smtp/email-smtp.connector.ts';
import { fachverfahrenHttpConnector } from '../connectors/fachverfahren-http/fachverfahren-http.connector.ts';
import { loadXmlTemplate, renderXmlMessage, validateXmlMessage } from '../connectors/fachverfahren-http/xml-message.ts';
import { paymentConnector } from '../connectors/payment/payment.connector.ts';
import { postboxConnector } from '../connectors/postbox/postbox.connector.ts';
import type { ConnectorCatalog } from '../engine/connectors/connector.ts';
import { type Definition, definitionSchema } from '../engine/definition/definition.schema.ts';
import type { FormField } from '../engine/definition/form.schema.ts';
import { validateDefinition } from '../engine/definition/validate.ts';
import { evaluateGuard } from '../engine/expressions/feel.ts';
import { type Effect, ProcedureRuntime, type StepEnvironment, type StepResult } from '../engine/runtime/runtime.ts';
import { DEMO_GROUPS, loadWorkflows, type Sample } from './index.ts';

type Operation = { input: z.ZodType; output: z.ZodType };

/** The real connectors' operation contracts: inputs the definitions produce, outputs the samples pretend. */
const operations: Record<string, Record<string, Operation>> = Object.fromEntries(
  [paymentConnector, postboxConnector, documentConnector, fachverfahrenHttpConnector, emailConnector].map((c) => [
    c.id,
    c.operations,
  ]),
);

const catalog: ConnectorCatalog = Object.fromEntries(
  Object.entries(operations).map(([id, ops]) => [
    id,
    {
      operations: Object.fromEntries(
        Object.entries(ops).map(([name, op]) => [
          name,
          { inputFields: op.input instanceof z.ZodObject ? Object.keys(op.input.shape) : [] },
        ]),
      ),
    },
  ]),
);

const ENGINE_VARS = {
  caseId: 'c1',
  caseNumber: 'X-2026-000001',
  trackingCode: 'ABCDEFGHJK',
  submittedAt: '2026-03-02T09:00:00Z',
  statusUrl: 'https://service.musterstadt.de/status/ABCDEFGHJK',
};
const ENV: StepEnvironment = { now: new Date('2026-03-02T09:00:00Z'), calendar: { land: 'NW' }, caseId: 'c1' };
const WAITING_KINDS = ['task', 'service', 'wait', 'timer'];

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('data-url', /^data:[\w.+-]+\/[\w.+-]+;base64,[A-Za-z0-9+/]+={0,2}$/);

/**
 * The form as the citizen (or caseworker) sees it for this data: fields whose `x-visibleIf` is not true are left
 * out, so they are neither required nor allowed.
 */
function visibleForm(field: FormField, scope: Record<string, unknown>): FormField {
  if (!field.properties) return field;
  const properties: Record<string, FormField> = {};
  for (const [name, child] of Object.entries(field.properties)) {
    const condition = child['x-visibleIf'];
    if (condition && !evaluateGuard(condition, scope)) continue;
    properties[name] = visibleForm(child, scope);
  }
  return { ...field, properties, required: field.required?.filter((name) => name in properties) };
}

function formErrors(form: FormField, data: unknown, scope: Record<string, unknown>): string[] {
  const validate = ajv.compile(visibleForm(form, scope));
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

function parseErrors(schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** Checks a step's effects: connector inputs match the operation, the postbox goes to the tracking code, tasks have a due date. */
function checkEffects(effects: Effect[]) {
  for (const effect of effects) {
    if (effect.type === 'job.enqueue') {
      const operation = operations[effect.connector]?.[effect.operation];
      expect(operation, `${effect.connector} ${effect.operation}`).toBeDefined();
      if (!operation) continue;
      expect(parseErrors(operation.input, effect.input), `Eingabe von ${effect.state}`).toEqual([]);
      if (effect.connector === 'postbox@1') expect(effect.input.recipient).toBe(ENGINE_VARS.trackingCode);
    }
    if (effect.type === 'task.create') expect(effect.dueAt, `Frist von ${effect.state}`).toBeInstanceOf(Date);
  }
}

/** Runs a sample through the procedure and reports what happened; asserts each event on the way is well-formed. */
function runSample(definition: Definition, sample: Sample) {
  const runtime = new ProcedureRuntime(definition);
  let step: StepResult = runtime.start(sample.data, ENV, ENGINE_VARS);
  const visited = [step.to];
  const effects = [...step.effects];
  checkEffects(step.effects);
  for (const { send } of sample.path) {
    if (send === null) break;
    const state = definition.states[step.to];
    expect(WAITING_KINDS, `${step.to} wartet auf kein Ereignis`).toContain(state?.kind);
    if (state?.kind === 'service' && send.type === 'job:done') {
      const operation = operations[state.connector]?.[state.operation];
      expect(parseErrors(operation?.output ?? z.never(), send.result), `Ergebnis für ${step.to}`).toEqual([]);
    }
    if (state?.kind === 'task' && send.type.startsWith('task:')) {
      const outcome = send.type.slice('task:'.length);
      expect(state.outcomes?.map((o) => o.id) ?? ['done'], `Ergebnis von ${step.to}`).toContain(outcome);
      const data = 'data' in send ? (send.data ?? {}) : {};
      const form = state.form ?? { type: 'object', properties: {} };
      expect(formErrors(form, data, { ...step.snapshot.context.vars, ...data }), `Formular von ${step.to}`).toEqual([]);
    }
    step = runtime.send(step.snapshot, send, ENV);
    visited.push(step.to);
    effects.push(...step.effects);
    checkEffects(step.effects);
  }
  const labels = effects
    .filter((e): e is Extract<Effect, { type: 'status' }> => e.type === 'status')
    .map((e) => e.label)
    .filter((label, i, all) => i === 0 || all[i - 1] !== label);
  return { step, visited, labels, effects, entered: Object.keys(step.snapshot.context.visits) };
}

const xmlSendInput = z.object({
  messageType: z.string(),
  payload: z.record(z.string(), z.unknown()),
  format: z.literal('xml'),
  template: z.string(),
});

/** Renders every XML message the effects would send, as the connector does, and checks it against its XSD. */
async function checkXmlMessages(effects: Effect[]): Promise<number> {
  let checked = 0;
  for (const effect of effects) {
    if (effect.type !== 'job.enqueue' || effect.connector !== fachverfahrenHttpConnector.id) continue;
    const input = xmlSendInput.safeParse(effect.input);
    if (!input.success) continue;
    const template = await loadXmlTemplate(new URL('./', import.meta.url), input.data.template);
    const values = { ...input.data, idempotencyKey: effect.idempotencyKey };
    await validateXmlMessage(renderXmlMessage(template.template, values), template, new AbortController().signal);
    checked++;
  }
  return checked;
}

const workflows = await loadWorkflows();

describe('Verfahren in workflows/', () => {
  it('liegen alle fünf vor, mit mindestens drei Beispielanträgen', () => {
    expect(workflows.map((w) => w.key)).toEqual([
      'geburtsurkunde',
      'hundeanmeldung',
      'maengelmelder',
      'meldebescheinigung',
      'sperrmuell',
    ]);
    for (const workflow of workflows) expect(workflow.samples.length).toBeGreaterThanOrEqual(3);
  });

  it('DEMO_GROUPS nennt genau die Gruppen, denen die Verfahren Aufgaben geben', () => {
    const used = new Set<string>();
    for (const { definition } of workflows) {
      for (const state of Object.values(definitionSchema.parse(definition).states)) {
        if (state.kind === 'task') used.add(state.group);
      }
    }
    expect([...used].sort()).toEqual([...DEMO_GROUPS].sort());
  });
});

describe.each(workflows)('$key', ({ key, definition: raw, samples }) => {
  const definition = definitionSchema.parse(raw);

  it('ist gültig (Schema, Graph, Gruppen, Anbindungen, Ausdrücke)', () => {
    expect(definition.key).toBe(key);
    expect(validateDefinition(raw, { groups: DEMO_GROUPS, connectors: catalog })).toEqual([]);
  });

  it('gibt jeder Aufgabe ein Formular und eine Frist', () => {
    for (const [id, state] of Object.entries(definition.states)) {
      if (state.kind !== 'task') continue;
      expect(state.form, id).toBeDefined();
      expect(state.due, id).toBeDefined();
    }
  });

  it.each(samples)('Beispiel „$title“: Antragsdaten passen zum Formular', (sample) => {
    expect(formErrors(definition.form, sample.data, { ...definition.constants, ...sample.data })).toEqual([]);
  });

  it.each(samples)('Beispiel „$title“: läuft den erwarteten Weg', (sample) => {
    const { step, visited, labels } = runSample(definition, sample);
    const ended = sample.path.at(-1)?.send !== null;
    expect(visited).toEqual([...sample.path.map((p) => p.expect), ...(ended ? [sample.final] : [])]);
    expect(step.to).toBe(sample.final);
    if (ended) {
      expect(definition.states[sample.final]?.kind).toBe('final');
      expect(step.snapshot.status).toBe('done');
    }
    expect(labels).toEqual(sample.statusLabels);
  });

  it('XML-Nachrichten der Beispiele entsprechen dem XSD ihrer Vorlage', async () => {
    let checked = 0;
    for (const sample of samples) checked += await checkXmlMessages(runSample(definition, sample).effects);
    if (key === 'hundeanmeldung') expect(checked).toBeGreaterThanOrEqual(samples.length);
  });

  it('die Beispiele durchlaufen jeden Zustand', () => {
    const entered = new Set(samples.flatMap((sample) => runSample(definition, sample).entered));
    expect(Object.keys(definition.states).filter((id) => !entered.has(id))).toEqual([]);
  });
});
