import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Definition, type DefinitionInput, definitionSchema } from '../definition/definition.schema.ts';
import type { Form, FormField } from '../definition/form.schema.ts';
import { exportBpmn } from './bpmn-export.ts';
import { importBpmn } from './bpmn-import.ts';
import { layeredDiagram } from './layered-diagram.ts';
import { child, children, createModdle, isNode, type ModdleNode, str } from './moddle-node.ts';
import { IdAllocator } from './naming.ts';

const define = (input: DefinitionInput): Definition => definitionSchema.parse(input);

/** The definition as round trips must keep it: layout (`position`) and descriptions are left out. */
function comparable(definition: DefinitionInput) {
  const { description: _description, states, ...rest } = definitionSchema.parse(definition);
  return {
    ...rest,
    states: Object.fromEntries(
      Object.entries(states).map(([id, { position: _position, description: _stateDescription, ...state }]) => [
        id,
        state,
      ]),
    ),
  };
}

async function roundTrip(definition: Definition) {
  const xml = await exportBpmn(definition);
  const result = await importBpmn(xml);
  if (!result.ok) throw new Error(`Re-Import fehlgeschlagen: ${JSON.stringify(result.errors, null, 2)}\n${xml}`);
  return { xml, imported: result.definition, warnings: result.warnings };
}

/** A procedure using every state kind, outcomes, loops, working days, mappings and a form camunda cannot express. */
const hundesteuer = define({
  schemaVersion: 1,
  key: 'hundesteuer-anmelden',
  title: 'Hund anmelden (Hundesteuer)',
  description: 'Anmeldung eines Hundes zur Hundesteuer.',
  caseNumberPrefix: 'HST',
  synonyms: ['Hundesteuer', 'Hund anmelden'],
  category: 'Tiere',
  fee: 'gebührenfrei',
  duration: 'etwa 2 Wochen',
  requiresLogin: true,
  constants: { steuersatz: 96, zweithund: { satz: 144 } },
  form: {
    type: 'object',
    properties: {
      halter: {
        type: 'object',
        title: 'Halter:in',
        properties: {
          name: { type: 'string', title: 'Name' },
          email: { type: 'string', format: 'email', title: 'E-Mail' },
        },
        required: ['name'],
      },
      rasse: {
        type: 'string',
        title: 'Rasse',
        oneOf: [
          { const: 'mischling', title: 'Mischling' },
          { const: 'listenhund', title: 'Listenhund (§ 2 HundeG)' },
        ],
      },
      anzahl: { type: 'integer', title: 'Anzahl Hunde', minimum: 1, maximum: 5, default: 1 },
    },
    required: ['halter', 'rasse'],
  },
  initial: 'pruefen',
  states: {
    pruefen: {
      kind: 'task',
      title: 'Anmeldung prüfen',
      description: 'Angaben mit dem Melderegister abgleichen.',
      status: 'In Prüfung',
      group: 'steueramt',
      position: { x: 10, y: 20 },
      form: { type: 'object', properties: { bemerkung: { type: 'string', title: 'Bemerkung', maxLength: 500 } } },
      outcomes: [
        { id: 'genehmigen', label: 'Genehmigen' },
        { id: 'nachfordern', label: 'Unterlagen nachfordern' },
        { id: 'ablehnen', label: 'Ablehnen' },
      ],
      due: { workingDays: 10 },
      timeout: { duration: 'P30D' },
      transitions: [
        { on: 'genehmigen', target: 'gefaehrlich' },
        { on: 'nachfordern', target: 'nachweis_anfordern' },
        { on: 'ablehnen', target: 'abgelehnt' },
        { on: 'timeout', target: 'eskalation' },
      ],
    },
    nachweis_anfordern: {
      kind: 'service',
      title: 'Unterlagen anfordern',
      connector: 'postbox@1',
      operation: 'send',
      input: { empfaenger: 'halter.email', betreff: '"Unterlagen fehlen"' },
      result: { nachrichtId: 'result.id' },
      retry: { maxAttempts: 3, initialDelay: 'PT1M' },
      transitions: [
        { on: 'done', target: 'warten_auf_nachweis' },
        { on: 'failed', target: 'eskalation' },
      ],
    },
    warten_auf_nachweis: {
      kind: 'wait',
      title: 'Auf Unterlagen warten',
      status: 'Unterlagen angefordert',
      timeout: { workingDays: 14 },
      transitions: [
        { on: 'postbox.reply', target: 'pruefen' },
        { on: 'postbox.withdrawn', target: 'zurueckgezogen', label: 'zurückgezogen' },
        { on: 'timeout', target: 'abgelehnt' },
      ],
    },
    gefaehrlich: {
      kind: 'decision',
      title: 'Gefährlicher Hund?',
      transitions: [
        { target: 'wesenstest', guard: 'rasse = "listenhund" and anzahl >= 1', label: 'Listenhund' },
        { target: 'bescheid' },
      ],
    },
    wesenstest: {
      kind: 'timer',
      title: 'Frist für den Wesenstest',
      delay: { duration: 'P28D' },
      transitions: [{ on: 'timeout', target: 'bescheid' }],
    },
    bescheid: {
      kind: 'service',
      title: 'Bescheid erstellen',
      connector: 'document@1',
      operation: '',
      input: { vorlage: '"hundesteuer"', satz: 'steuersatz' },
      transitions: [{ on: 'done', target: 'angemeldet' }],
    },
    eskalation: {
      kind: 'task',
      title: 'Eskalation',
      group: 'amtsleitung',
      transitions: [{ on: 'done', target: 'pruefen' }],
    },
    angemeldet: { kind: 'final', title: 'Angemeldet', outcome: 'approved', status: 'Hund angemeldet' },
    abgelehnt: { kind: 'final', outcome: 'rejected', status: 'Abgelehnt' },
    zurueckgezogen: { kind: 'final', outcome: 'withdrawn', status: 'Zurückgezogen' },
  },
});

/** Guarded outcome transitions, a single outcome, a plain message wait and a decision without default. */
const sperrmuell = define({
  schemaVersion: 1,
  key: 'sperrmuell',
  title: 'Sperrmüll anmelden',
  caseNumberPrefix: 'SPM',
  form: {
    type: 'object',
    properties: {
      menge: { type: 'integer', title: 'Menge in m³', minimum: 1 },
      abholdatum: { type: 'string', format: 'date', title: 'Wunschtermin' },
      eilig: { type: 'boolean', title: 'Eilig' },
      hinweis: { type: 'string', title: 'Hinweis', minLength: 2, maxLength: 200, default: 'keiner' },
    },
    required: ['menge', 'abholdatum'],
  },
  initial: 'vorpruefung',
  states: {
    vorpruefung: {
      kind: 'task',
      title: 'Vorprüfung',
      group: 'abfallwirtschaft',
      outcomes: [{ id: 'weiter', label: 'Weiter' }],
      transitions: [
        { on: 'weiter', target: 'bezahlen', guard: 'menge > 3' },
        { on: 'weiter', target: 'termin' },
      ],
    },
    bezahlen: {
      kind: 'wait',
      title: 'Auf Zahlung warten',
      transitions: [{ on: 'payment.paid', target: 'termin', label: 'bezahlt' }],
    },
    termin: {
      kind: 'decision',
      transitions: [
        { target: 'abgeholt', guard: 'eilig = true' },
        { target: 'geplant', guard: 'eilig = false' },
      ],
    },
    abgeholt: { kind: 'final', outcome: 'done', status: 'Abholung beauftragt' },
    geplant: { kind: 'final', outcome: 'planned', status: 'Abholung eingeplant' },
  },
});

async function parseExported(xml: string) {
  const parsed = await createModdle('camunda').fromXML(xml);
  expect(parsed.warnings).toEqual([]);
  const root = parsed.rootElement;
  if (!isNode(root)) throw new Error('kein Wurzelelement');
  return root;
}

describe('exportBpmn', () => {
  it('writes BPMN with camunda extensions that parses without warnings', async () => {
    const xml = await exportBpmn(hundesteuer);
    expect(xml).toContain('xmlns:camunda="http://camunda.org/schema/1.0/bpmn"');
    const root = await parseExported(xml);
    const process = children(root, 'rootElements').find((element) => element.$type === 'bpmn:Process');
    const byId = new Map(children(process, 'flowElements').map((element) => [str(element, 'id'), element]));
    expect(byId.get('pruefen')).toMatchObject({ $type: 'bpmn:UserTask', candidateGroups: 'steueramt' });
    expect(byId.get('nachweis_anfordern')).toMatchObject({
      $type: 'bpmn:ServiceTask',
      type: 'external',
      topic: 'postbox@1:send',
    });
    expect(byId.get('bescheid')).toMatchObject({ type: 'external', topic: 'document@1' });
    const outcomeFlows = children(process, 'flowElements').filter(
      (element) => element.$type === 'bpmn:SequenceFlow' && child(element, 'sourceRef')?.id === 'pruefen_ergebnis',
    );
    expect(outcomeFlows.map((flow) => [str(flow, 'name'), str(child(flow, 'conditionExpression'), 'body')])).toEqual([
      ['Genehmigen', '=outcome = "genehmigen"'],
      ['Unterlagen nachfordern', '=outcome = "nachfordern"'],
      ['Ablehnen', '=outcome = "ablehnen"'],
    ]);
    const guarded = children(process, 'flowElements').find(
      (element) => element.$type === 'bpmn:SequenceFlow' && str(element, 'name') === 'Listenhund',
    );
    expect(child(guarded, 'conditionExpression')).toMatchObject({
      $type: 'bpmn:FormalExpression',
      body: '=rasse = "listenhund" and anzahl >= 1',
    });
    const inputOutput = children(child(byId.get('nachweis_anfordern'), 'extensionElements'), 'values')[0];
    expect(
      children(inputOutput, 'inputParameters').map((parameter) => [str(parameter, 'name'), str(parameter, 'value')]),
    ).toEqual([
      ['empfaenger', '=halter.email'],
      ['betreff', '="Unterlagen fehlen"'],
    ]);
  });

  it('includes a diagram: a shape for every flow node and an edge with waypoints for every flow', async () => {
    const root = await parseExported(await exportBpmn(hundesteuer));
    const process = children(root, 'rootElements').find((element) => element.$type === 'bpmn:Process');
    const flowElements = children(process, 'flowElements');
    const planeElements = children(child(children(root, 'diagrams')[0], 'plane'), 'planeElement');
    const shapes = new Map<ModdleNode | undefined, ModdleNode>(
      planeElements
        .filter((element) => element.$type === 'bpmndi:BPMNShape')
        .map((shape) => [child(shape, 'bpmnElement'), shape]),
    );
    const edges = new Map<ModdleNode | undefined, ModdleNode>(
      planeElements
        .filter((element) => element.$type === 'bpmndi:BPMNEdge')
        .map((edge) => [child(edge, 'bpmnElement'), edge]),
    );
    for (const element of flowElements) {
      if (element.$type === 'bpmn:SequenceFlow') {
        expect(children(edges.get(element), 'waypoint').length, String(element.id)).toBeGreaterThanOrEqual(2);
      } else {
        expect(child(shapes.get(element), 'bounds'), String(element.id)).toBeDefined();
      }
    }
    const ids = planeElements.map((element) => str(element, 'id'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps ids unique when a state id looks like a diagram id', async () => {
    const definition = define({
      schemaVersion: 1,
      key: 'kollision',
      title: 'Kollision',
      caseNumberPrefix: 'KO',
      form: { type: 'object', properties: {} },
      initial: 'pruefen',
      states: {
        pruefen: { kind: 'task', title: 'Prüfen', group: 'a', transitions: [{ on: 'done', target: 'pruefen_di' }] },
        pruefen_di: { kind: 'task', title: 'Noch mal', group: 'a', transitions: [{ on: 'done', target: 'Flow_1' }] },
        Flow_1: { kind: 'final', outcome: 'ok', status: 'Fertig' },
      },
    });
    const { imported } = await roundTrip(definition);
    expect(comparable(imported)).toEqual(comparable(definition));
  });
});

describe('layeredDiagram (fallback layout)', () => {
  it('places every node and routes every flow, boundary events on their host', () => {
    const moddle = createModdle('camunda');
    const ids = new IdAllocator();
    const start = moddle.create('bpmn:StartEvent', { id: 'start' });
    const task = moddle.create('bpmn:UserTask', { id: 'task' });
    const gateway = moddle.create('bpmn:ExclusiveGateway', { id: 'gateway' });
    const end = moddle.create('bpmn:EndEvent', { id: 'end' });
    const boundary = moddle.create('bpmn:BoundaryEvent', { id: 'boundary', attachedToRef: task });
    const flows = [
      [start, task],
      [task, gateway],
      [gateway, task],
      [gateway, end],
      [boundary, end],
    ].map(([sourceRef, targetRef], index) =>
      moddle.create('bpmn:SequenceFlow', { id: `f${index}`, sourceRef, targetRef }),
    );
    const process = moddle.create('bpmn:Process', { id: 'p' });
    const diagram = layeredDiagram(moddle, ids, process, [start, task, gateway, end, boundary], flows);
    const plane = child(diagram, 'plane');
    expect(child(plane, 'bpmnElement')).toBe(process);
    const bounds = (element: ModdleNode) =>
      child(
        children(plane, 'planeElement').find((shape) => child(shape, 'bpmnElement') === element),
        'bounds',
      );
    expect(bounds(start)).toMatchObject({ x: 82, y: 82, width: 36, height: 36 });
    expect(bounds(task)).toMatchObject({ x: 230, y: 60, width: 100, height: 80 });
    expect(bounds(gateway)).toMatchObject({ x: 435, y: 75, width: 50, height: 50 });
    expect(bounds(end)).toMatchObject({ x: 442, y: 222 });
    expect(bounds(boundary)).toMatchObject({ x: 240, y: 122 });
    const edges = children(plane, 'planeElement').filter((element) => element.$type === 'bpmndi:BPMNEdge');
    expect(edges.map((edge) => children(edge, 'waypoint').length)).toEqual([2, 2, 4, 2, 3]);
  });

  it('gives a complete diagram for a graph bpmn-auto-layout 1.3 cannot lay out', async () => {
    const definition = define({
      schemaVersion: 1,
      key: 'schleifen',
      title: 'Schleifen',
      caseNumberPrefix: 'SL',
      form: { type: 'object', properties: {} },
      initial: 'A',
      states: {
        A: { kind: 'task', title: 'A', group: 'g', transitions: [{ on: 'done', target: 'A' }] },
        B: { kind: 'task', title: 'B', group: 'g', transitions: [{ on: 'done', target: 'A' }] },
        C: { kind: 'task', title: 'C', group: 'g', transitions: [{ on: 'done', target: 'A' }] },
        D: { kind: 'task', title: 'D', group: 'g', transitions: [{ on: 'done', target: 'A' }] },
        E: {
          kind: 'decision',
          transitions: [
            { target: 'A', guard: 'amount > 100' },
            { target: 'A', guard: 'amount > 200' },
            { target: 'D', guard: 'amount > 300' },
            { target: 'F' },
          ],
        },
        F: { kind: 'task', title: 'F', group: 'g', transitions: [{ on: 'done', target: 'D' }] },
        G: { kind: 'final', outcome: 'ok', status: 'Fertig' },
      },
    });
    const xml = await exportBpmn(definition);
    const root = await parseExported(xml);
    const process = children(root, 'rootElements').find((element) => element.$type === 'bpmn:Process');
    const planeElements = children(child(children(root, 'diagrams')[0], 'plane'), 'planeElement');
    const drawn = new Set(planeElements.map((element) => child(element, 'bpmnElement')));
    for (const element of children(process, 'flowElements')) expect(drawn.has(element), String(element.id)).toBe(true);
    const { imported } = await roundTrip(definition);
    expect(comparable(imported)).toEqual(comparable(definition));
  });
});

describe('export → import round trip', () => {
  it('keeps a procedure with outcomes, decision, timer, wait, services with mappings and finals', async () => {
    const { imported, warnings } = await roundTrip(hundesteuer);
    expect(comparable(imported)).toEqual(comparable(hundesteuer));
    expect(warnings).toEqual([]);
  });

  it('keeps guarded outcome transitions, a single outcome and a representable form', async () => {
    const { xml, imported, warnings } = await roundTrip(sperrmuell);
    expect(comparable(imported)).toEqual(comparable(sperrmuell));
    expect(warnings).toEqual([]);
    expect(xml).not.toContain('verfahren:form');
    expect(xml).toContain('<camunda:constraint name="minlength" config="2" />');
  });

  it('keeps the description of procedure and states', async () => {
    const { imported } = await roundTrip(hundesteuer);
    expect(imported.description).toBe(hundesteuer.description);
    expect(imported.states.pruefen?.description).toBe(hundesteuer.states.pruefen?.description);
  });

  it('turns guarded transitions outside decisions into a decision state of their own (same behaviour)', async () => {
    const definition = define({
      schemaVersion: 1,
      key: 'weiche',
      title: 'Weiche',
      caseNumberPrefix: 'WE',
      form: { type: 'object', properties: {} },
      initial: 'zahlung',
      states: {
        zahlung: {
          kind: 'service',
          connector: 'payment@1',
          operation: 'create',
          transitions: [
            { on: 'done', target: 'teuer', guard: 'result.amount > 100' },
            { on: 'done', target: 'billig' },
          ],
        },
        teuer: { kind: 'final', outcome: 'a', status: 'A' },
        billig: { kind: 'final', outcome: 'b', status: 'B' },
      },
    });
    const { imported } = await roundTrip(definition);
    expect(imported.states.zahlung?.transitions).toEqual([{ on: 'done', target: 'zahlung_weiche' }]);
    expect(comparable(imported).states.zahlung_weiche).toEqual({
      kind: 'decision',
      transitions: [{ target: 'teuer', guard: 'result.amount > 100' }, { target: 'billig' }],
    });
  });
});

const TITLE_CHARS = [...'abcdefghäöüßÄÖÜ &<>"\'-_.,:;!?§€()/0123456789'];
const title = fc
  .string({ unit: fc.constantFrom(...TITLE_CHARS), minLength: 1, maxLength: 30 })
  .map((text) => text.trim())
  .filter((text) => text.length > 0);
const stateId = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/);
const guard = fc.constantFrom(
  'amount > 100',
  'status = "neu"',
  'eilig = true',
  'antrag.anzahl >= 2 and amount < 50',
  'not(eilig)',
  'land = "BY" or land = "BW"',
);
const delay = fc.oneof(
  fc.constantFrom('P7D', 'PT2H', 'P1W', 'P1Y2M3DT4H5M6S').map((duration) => ({ duration })),
  fc.integer({ min: 1, max: 30 }).map((workingDays) => ({ workingDays })),
);
const feelValue = fc.constantFrom('amount', 'antrag.name', '"fester Text"', 'amount * 2', 'result.id', '{a: 1}');
const mappingName = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,10}$/);
const outcomeId = fc.constantFrom('genehmigen', 'ablehnen', 'nachfordern', 'weiterleiten', 'ok');

const field: fc.Arbitrary<FormField> = fc.oneof(
  fc.record({ type: fc.constant('string' as const), title, maxLength: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ type: fc.constant('integer' as const), title, minimum: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ type: fc.constant('boolean' as const), title }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('string' as const), format: fc.constant('date' as const), title }),
  fc.record({
    type: fc.constant('string' as const),
    oneOf: fc.uniqueArray(fc.record({ const: mappingName, title }), {
      minLength: 1,
      maxLength: 3,
      selector: (option) => option.const,
    }),
  }),
  fc.record({ type: fc.constant('string' as const), format: fc.constant('email' as const) }),
  fc.record({ type: fc.constant('number' as const), title }),
);
const form: fc.Arbitrary<Form> = fc
  .uniqueArray(fc.tuple(mappingName, field, fc.boolean()), { maxLength: 4, selector: ([name]) => name })
  .map((fields) => {
    const required = fields.filter(([, , isRequired]) => isRequired).map(([name]) => name);
    return {
      type: 'object',
      properties: Object.fromEntries(fields.map(([name, formField]) => [name, formField])),
      ...(required.length > 0 ? { required } : {}),
    };
  });

/**
 * Random small definitions: tasks (with or without outcomes, guards on outcomes, timeouts), services
 * (done/failed, mappings), decisions (guards, optional default), waits (one or two messages, timeout), timers
 * and finals; any state may point at any other, so chains, branches and loops all occur. Transitions are in
 * the canonical order the import produces (outcomes/messages first, then `failed`/`timeout`).
 */
const definitionArbitrary = fc
  .record({
    ids: fc.uniqueArray(stateId, { minLength: 2, maxLength: 8, selector: (id) => id.toLowerCase() }),
    seeds: fc.array(
      fc.record({
        kind: fc.constantFrom('task', 'service', 'decision', 'wait', 'timer', 'final'),
        messages: fc.uniqueArray(fc.constantFrom('payment.paid', 'payment.failed', 'postbox.reply'), {
          minLength: 1,
          maxLength: 2,
        }),
        delay: fc.option(delay, { nil: undefined }),
        title: fc.option(title, { nil: undefined }),
        status: fc.option(
          title.map((text) => text.slice(0, 100)),
          { nil: undefined },
        ),
        targets: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        outcomes: fc.uniqueArray(outcomeId, { maxLength: 3 }),
        guards: fc.array(guard, { minLength: 3, maxLength: 3 }),
        guardedOutcome: fc.boolean(),
        withDefault: fc.boolean(),
        guardCount: fc.integer({ min: 0, max: 3 }),
        failed: fc.boolean(),
        connector: fc.constantFrom('payment@1', 'postbox@2', 'fachverfahren-http@1', ''),
        operation: fc.constantFrom('', 'send', 'create'),
        input: fc.dictionary(mappingName, feelValue, { maxKeys: 2 }),
        result: fc.dictionary(mappingName, feelValue, { maxKeys: 2 }),
        outcome: mappingName,
      }),
      { minLength: 8, maxLength: 8 },
    ),
    form,
    key: fc.stringMatching(/^[a-z][a-z0-9-]{1,20}$/),
    title,
  })
  .map(({ ids, seeds, form: startForm, key, title: procedureTitle }) => {
    const states: DefinitionInput['states'] = {};
    ids.forEach((id, index) => {
      const seed = seeds[index];
      if (!seed) return;
      const target = (n: number) => ids[(seed.targets[n] ?? 0) % ids.length] ?? id;
      const kind = index === ids.length - 1 ? 'final' : seed.kind;
      const common = {
        ...(seed.title ? { title: seed.title } : {}),
        ...(seed.status && kind !== 'final' ? { status: seed.status } : {}),
      };
      if (kind === 'final') {
        states[id] = { kind, ...common, outcome: seed.outcome, status: seed.status ?? 'Abgeschlossen' };
      } else if (kind === 'task') {
        const transitions =
          seed.outcomes.length === 0
            ? [{ on: 'done', target: target(0) }]
            : seed.outcomes.flatMap((outcome, n) =>
                n === 0 && seed.guardedOutcome
                  ? [
                      { on: outcome, target: target(n + 1), guard: seed.guards[0] },
                      { on: outcome, target: target(n) },
                    ]
                  : [{ on: outcome, target: target(n) }],
              );
        states[id] = {
          kind,
          ...common,
          title: seed.title ?? `Aufgabe ${id}`,
          group: 'sachbearbeitung',
          ...(seed.outcomes.length > 0
            ? { outcomes: seed.outcomes.map((outcome) => ({ id: outcome, label: `Ergebnis ${outcome}` })) }
            : {}),
          ...(seed.delay ? { timeout: seed.delay } : {}),
          transitions: [...transitions, ...(seed.delay ? [{ on: 'timeout', target: target(3) }] : [])],
        };
      } else if (kind === 'wait') {
        states[id] = {
          kind,
          ...common,
          ...(seed.delay ? { timeout: seed.delay } : {}),
          transitions: [
            ...seed.messages.map((message, n) => ({ on: message, target: target(n) })),
            ...(seed.delay ? [{ on: 'timeout', target: target(3) }] : []),
          ],
        };
      } else if (kind === 'timer') {
        states[id] = {
          kind,
          ...common,
          delay: seed.delay ?? { duration: 'PT1H' },
          transitions: [{ on: 'timeout', target: target(0) }],
        };
      } else if (kind === 'service') {
        states[id] = {
          kind,
          ...common,
          connector: seed.connector,
          operation: seed.connector ? seed.operation : '',
          input: seed.input,
          result: seed.result,
          transitions: [
            { on: 'done', target: target(0), ...(seed.title ? { label: seed.title } : {}) },
            ...(seed.failed ? [{ on: 'failed', target: target(1) }] : []),
          ],
        };
      } else {
        const guarded = seed.guards
          .slice(0, seed.guardCount)
          .map((expression, n) => ({ target: target(n), guard: expression }));
        const fallback = seed.withDefault || guarded.length === 0 ? [{ target: target(3) }] : [];
        states[id] = { kind, ...common, transitions: [...guarded, ...fallback] };
      }
    });
    return define({
      schemaVersion: 1,
      key,
      title: procedureTitle,
      caseNumberPrefix: 'ZZ',
      form: startForm,
      initial: ids[0] ?? 'x',
      states,
    });
  });

describe('round trip property', () => {
  it('export → import keeps every generated definition', async () => {
    await fc.assert(
      fc.asyncProperty(definitionArbitrary, async (definition) => {
        const { imported } = await roundTrip(definition);
        expect(comparable(imported)).toEqual(comparable(definition));
      }),
      { numRuns: 150 },
    );
  });
});
