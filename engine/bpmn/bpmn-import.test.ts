import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definitionSchema } from '../definition/definition.schema.ts';
import { type BpmnImportResult, importBpmn } from './bpmn-import.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function expectOk(result: BpmnImportResult) {
  if (!result.ok) throw new Error(`Import fehlgeschlagen: ${JSON.stringify(result.errors, null, 2)}`);
  expect(definitionSchema.safeParse(result.definition).success).toBe(true);
  return result;
}

function expectFailure(result: BpmnImportResult) {
  if (result.ok) throw new Error('Import hätte fehlschlagen müssen');
  return result;
}

/** A minimal Camunda 7 document around the given process content. */
function camunda7(body: string, processAttributes = 'id="p" name="Test" isExecutable="true"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://example.org">
  <bpmn:process ${processAttributes}>${body}</bpmn:process>
</bpmn:definitions>`;
}

/** A JUEL expression `${…}` as Camunda 7 writes it. */
const juel = (expression: string) => `\${${expression}}`;

const flow = (id: string, source: string, target: string, condition?: string, name?: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"${name ? ` name="${name}"` : ''}>${
    condition === undefined
      ? ''
      : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression>`
  }</bpmn:sequenceFlow>`;

describe('importBpmn: Camunda 7 model', () => {
  it('maps start form, tasks, connector, gateway, timer boundary and end events', async () => {
    const { definition, warnings } = expectOk(await importBpmn(fixture('camunda7-sondernutzung.bpmn')));
    expect(definition).toMatchObject({
      schemaVersion: 1,
      key: 'sondernutzung-oeffentlicher-strassen',
      title: 'Sondernutzung öffentlicher Straßen',
      caseNumberPrefix: 'SON',
      description: 'Erlaubnis für die Nutzung von Gehwegen, z. B. Außengastronomie oder Werbeaufsteller.',
      initial: 'Task_Pruefen',
    });
    expect(definition.form).toEqual({
      type: 'object',
      properties: {
        antragsteller: { type: 'string', title: 'Name der Antragstellerin / des Antragstellers', maxLength: 100 },
        art: {
          type: 'string',
          title: 'Art der Nutzung',
          oneOf: [
            { const: 'gastro', title: 'Außengastronomie' },
            { const: 'werbung', title: 'Werbeaufsteller' },
          ],
        },
        flaeche: { type: 'integer', title: 'Fläche in m²', minimum: 1, maximum: 500 },
        beginn: { type: 'string', format: 'date', title: 'Beginn der Nutzung' },
        amount: { type: 'integer', title: 'Gebühr in Euro' },
        eilig: { type: 'boolean', title: 'Eilantrag', default: false },
      },
      required: ['antragsteller', 'art'],
    });
    expect(definition.states).toEqual({
      Task_Pruefen: {
        kind: 'task',
        title: 'Antrag prüfen',
        description: 'Vollständigkeit und Lageplan prüfen.',
        group: 'ordnungsamt',
        form: { type: 'object', properties: { bemerkung: { type: 'string', title: 'Bemerkung' } } },
        timeout: { duration: 'P7D' },
        transitions: [
          { on: 'done', target: 'Task_Fachverfahren' },
          { on: 'timeout', target: 'End_Frist' },
        ],
      },
      Task_Fachverfahren: {
        kind: 'service',
        title: 'An Fachverfahren übergeben',
        connector: 'fachverfahren-http@1',
        operation: 'send',
        input: { antragsteller: 'antragsteller', betrag: 'amount', verfahren: '"Sondernutzung"' },
        result: { vorgangsnummer: 'result.id' },
        transitions: [{ on: 'done', target: 'Gateway_Betrag' }],
      },
      Gateway_Betrag: {
        kind: 'decision',
        title: 'Gebühr über 100 €?',
        transitions: [
          { target: 'Task_Freigabe', guard: 'amount > 100', label: 'ja' },
          { target: 'End_Erteilt', label: 'nein' },
        ],
      },
      Task_Freigabe: {
        kind: 'task',
        title: 'Freigabe durch Amtsleitung',
        group: 'amtsleitung',
        transitions: [{ on: 'done', target: 'End_Erteilt' }],
      },
      End_Erteilt: { kind: 'final', outcome: 'erlaubnis-erteilt', status: 'Erlaubnis erteilt', transitions: [] },
      End_Frist: { kind: 'final', outcome: 'frist-abgelaufen', status: 'Frist abgelaufen', transitions: [] },
    });
    expect(warnings).toEqual([
      {
        elementId: 'Task_Pruefen',
        elementType: 'bpmn:UserTask',
        message: '„Task_Pruefen“: Erweiterung camunda:TaskListener wird nicht übernommen',
      },
      {
        elementId: 'Task_Pruefen',
        elementType: 'bpmn:UserTask',
        message: '„Task_Pruefen“: Mehrere Gruppen (ordnungsamt, sachgebiet-32); übernommen wird nur „ordnungsamt“',
      },
      {
        elementId: 'StartEvent_Antrag',
        elementType: 'bpmn:StartEvent',
        message: '„StartEvent_Antrag“: Validierung „readonly“ am Feld „eilig“ wird nicht übernommen',
      },
    ]);
  });

  it('leaves a connector unbound when it is not installed here', async () => {
    const { definition, warnings } = expectOk(
      await importBpmn(fixture('camunda7-sondernutzung.bpmn'), {
        knownConnectors: ['payment@1'],
        key: 'sondernutzung',
      }),
    );
    expect(definition.key).toBe('sondernutzung');
    expect(definition.states.Task_Fachverfahren).toMatchObject({ kind: 'service', connector: '', operation: '' });
    expect(warnings).toContainEqual({
      elementId: 'Task_Fachverfahren',
      elementType: 'bpmn:ServiceTask',
      message: '„Task_Fachverfahren“: Anbindung „fachverfahren-http@1“ ist unbekannt und wird nicht zugeordnet',
    });
  });
});

describe('importBpmn: Camunda 8 model', () => {
  it('reads zeebe task definitions, assignment, io mappings, FEEL conditions and message catch events', async () => {
    const { definition, warnings } = expectOk(await importBpmn(fixture('camunda8-wohngeld.bpmn')));
    expect(definition).toMatchObject({
      key: 'wohngeld',
      title: 'Wohngeld beantragen',
      caseNumberPrefix: 'WOH',
      initial: 'Vorpruefung',
      form: { type: 'object', properties: {} },
    });
    expect(definition.states).toEqual({
      Vorpruefung: {
        kind: 'task',
        title: 'Vorprüfung',
        group: 'wohngeldstelle',
        transitions: [{ on: 'done', target: 'Nachweise_anfordern' }],
      },
      Nachweise_anfordern: {
        kind: 'service',
        title: 'Nachweise anfordern',
        connector: 'postbox@1',
        operation: 'send',
        input: { empfaenger: 'antragsteller.postfach', text: '"Bitte reichen Sie Ihre Einkommensnachweise ein."' },
        result: { nachrichtId: 'result.messageId' },
        transitions: [{ on: 'done', target: 'Nachweise_eingegangen' }],
      },
      Nachweise_eingegangen: {
        kind: 'wait',
        title: 'Nachweise eingegangen',
        transitions: [{ on: 'nachweise.eingegangen', target: 'Einkommen_pruefen' }],
      },
      Einkommen_pruefen: {
        kind: 'decision',
        title: 'Einkommen unter Grenze?',
        transitions: [
          { target: 'Bescheid_senden', guard: 'einkommen < 2000', label: 'ja' },
          { target: 'Abgelehnt', guard: 'einkommen >= 2000', label: 'nein' },
        ],
      },
      Bescheid_senden: {
        kind: 'service',
        title: 'Bescheid senden',
        connector: '',
        operation: '',
        input: {},
        result: {},
        transitions: [{ on: 'done', target: 'Bewilligt' }],
      },
      Bewilligt: { kind: 'final', outcome: 'wohngeld-bewilligt', status: 'Wohngeld bewilligt', transitions: [] },
      Abgelehnt: { kind: 'final', outcome: 'antrag-abgelehnt', status: 'Antrag abgelehnt', transitions: [] },
    });
    expect(warnings.map((warning) => [warning.elementId, warning.message])).toEqual([
      ['Vorpruefung', '„Vorpruefung“: Mehrere Gruppen (wohngeldstelle, leitung); übernommen wird nur „wohngeldstelle“'],
      [
        'Bescheid_senden',
        '„Bescheid_senden“: Anbindung „legacy-mailer“ nicht zugeordnet (erwartet wird eine versionierte Anbindungs-ID wie „payment@1:create“)',
      ],
      ['Start', '„Start“: Erweiterung zeebe:FormDefinition wird nicht übernommen'],
    ]);
  });
});

describe('importBpmn: collaboration with diagram', () => {
  it('imports the participant process, keeps shape positions and takes the group from the lane', async () => {
    const { definition, warnings } = expectOk(await importBpmn(fixture('collaboration-with-diagram.bpmn')));
    expect(definition).toMatchObject({
      key: 'fuehrungszeugnis-beantragen',
      title: 'Führungszeugnis beantragen',
      caseNumberPrefix: 'FUE',
      initial: 'Identitaet',
    });
    expect(definition.states).toEqual({
      Identitaet: {
        kind: 'task',
        title: 'Identität prüfen',
        group: 'buergerbuero',
        position: { x: 290, y: 120 },
        transitions: [{ on: 'done', target: 'Warten' }],
      },
      Warten: {
        kind: 'timer',
        title: 'Zwei Stunden warten',
        delay: { duration: 'PT2H' },
        position: { x: 462, y: 142 },
        transitions: [{ on: 'timeout', target: 'Ende' }],
      },
      Ende: { kind: 'final', outcome: 'ende', status: 'Abgeschlossen', position: { x: 602, y: 142 }, transitions: [] },
    });
    expect(warnings.map((warning) => warning.elementId)).toEqual([
      'Participant_Buergerbuero',
      'Identitaet',
      'Identitaet',
    ]);
    expect(warnings[0]?.message).toContain('Kollaborationsdiagramm');
    expect(warnings[1]?.message).toBe('„Identitaet“ (bpmn:Task) wird als Aufgabe für die Sachbearbeitung übernommen');
    expect(warnings[2]?.message).toBe(
      '„Identitaet“: Keine Gruppe angegeben; übernommen wird „buergerbuero“ aus der Lane „Bürgerbüro“',
    );
  });
});

describe('importBpmn: untrusted input', () => {
  it('refuses DOCTYPE and ENTITY declarations before parsing (billion laughs, XXE)', async () => {
    const { errors, warnings } = expectFailure(await importBpmn(fixture('doctype-billion-laughs.bpmn')));
    expect(errors).toEqual([
      { message: 'DOCTYPE-Deklarationen sind aus Sicherheitsgründen nicht erlaubt.' },
      { message: 'ENTITY-Deklarationen sind aus Sicherheitsgründen nicht erlaubt.' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('refuses a lower-case doctype', async () => {
    const xml = fixture('camunda8-wohngeld.bpmn').replace('<bpmn:definitions', '<!doctype x>\n<bpmn:definitions');
    const { errors } = expectFailure(await importBpmn(xml));
    expect(errors.map((error) => error.message)).toEqual([
      'DOCTYPE-Deklarationen sind aus Sicherheitsgründen nicht erlaubt.',
    ]);
  });

  it('refuses files over 2 MiB', async () => {
    const padding = `<!--${'x'.repeat(2 * 1024 * 1024)}-->`;
    const { errors } = expectFailure(await importBpmn(fixture('camunda8-wohngeld.bpmn') + padding));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^Die Datei ist zu groß/);
  });

  it('counts multi-byte characters as bytes', async () => {
    const padding = `<!--${'ä'.repeat(1024 * 1024 + 1)}-->`;
    const { errors } = expectFailure(await importBpmn(fixture('camunda8-wohngeld.bpmn') + padding));
    expect(errors[0]?.message).toMatch(/^Die Datei ist zu groß/);
  });

  it('refuses more than 5,000 elements', async () => {
    const many = '<bpmn:textAnnotation id="a" />'.repeat(5001);
    const { errors } = expectFailure(await importBpmn(camunda7(many)));
    expect(errors).toEqual([{ message: 'Die Datei enthält mehr als 5000 XML-Elemente.' }]);
  });

  it('reports unreadable XML as an error, not a throw', async () => {
    const { errors } = expectFailure(await importBpmn('<bpmn:definitions'));
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('importBpmn: models that cannot run', () => {
  it('lists every dangling sequence-flow reference', async () => {
    const { errors } = expectFailure(await importBpmn(fixture('dangling-references.bpmn')));
    expect(errors).toEqual([
      {
        elementId: 'Flow_2',
        elementType: 'bpmn:SequenceFlow',
        message: 'Sequenzfluss „Flow_2“ verweist auf das Ziel „Task_Geloescht“, das es nicht gibt',
      },
      {
        elementId: 'Flow_3',
        elementType: 'bpmn:SequenceFlow',
        message: 'Sequenzfluss „Flow_3“ verweist auf die Quelle „Task_AuchWeg“, das es nicht gibt',
      },
    ]);
  });

  it('collects every reason: parallel gateways, script task, unconvertible JUEL, flow without condition', async () => {
    const { errors } = expectFailure(await importBpmn(fixture('parallel-gateway.bpmn')));
    expect(errors.map((error) => [error.elementId, error.message])).toEqual([
      ['Split', '„Split“: bpmn:ParallelGateway wird nicht unterstützt (nur exklusive Gateways)'],
      ['Gebuehr', '„Gebuehr“ (bpmn:ScriptTask) wird nicht unterstützt; das Modell ist so nicht ausführbar'],
      ['Join', '„Join“: bpmn:ParallelGateway wird nicht unterstützt (nur exklusive Gateways)'],
      [
        'Flow_7',
        `Sequenzfluss „Flow_7“: Bedingung nicht übertragbar: „${juel('execution.getVariable("ok")')}“ lässt sich nicht eindeutig nach FEEL übertragen (Methodenaufruf „execution.getVariable(…)“)`,
      ],
      [
        'Flow_8',
        'Sequenzfluss „Flow_8“ nach Gateway „Entscheidung“ hat keine Bedingung und ist nicht der Standardfluss',
      ],
    ]);
  });

  it('rejects inclusive and event-based gateways, timeCycle timers and implicit splits', async () => {
    const xml = camunda7(`
      <bpmn:startEvent id="s" />
      <bpmn:inclusiveGateway id="incl" />
      <bpmn:eventBasedGateway id="evt" />
      <bpmn:userTask id="t" camunda:candidateGroups="a" />
      <bpmn:intermediateCatchEvent id="date"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">2026-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="cycle"><bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="e" />
      ${flow('f1', 's', 't')}${flow('f2', 't', 'date')}${flow('f3', 't', 'cycle')}${flow('f4', 'date', 'e')}${flow('f5', 'cycle', 'e')}
      ${flow('f6', 'incl', 'e')}${flow('f7', 'evt', 'e')}`);
    const { errors } = expectFailure(await importBpmn(xml));
    expect(errors.map((error) => error.elementId)).toEqual(['incl', 'evt', 't', 'cycle']);
    expect(errors[2]?.message).toContain('2 ausgehende Sequenzflüsse ohne Gateway');
    expect(errors[3]?.message).toContain('timeCycle');
  });

  it('imports timeDate timers as instants: a FEEL expression over the case data, or a literal ISO instant', async () => {
    const timer = (id: string, body: string) =>
      `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">${body}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    const xml = camunda7(`
      <bpmn:startEvent id="s" />
      ${timer('erinnerung', '=date(abholung) - duration("P2D")')}
      ${timer('stichtag', '2026-01-01T00:00:00Z')}
      ${timer('kaputt', '=date(')}
      <bpmn:endEvent id="e" />
      ${flow('f1', 's', 'erinnerung')}${flow('f2', 'erinnerung', 'stichtag')}${flow('f3', 'stichtag', 'kaputt')}${flow('f4', 'kaputt', 'e')}`);
    const { errors } = expectFailure(await importBpmn(xml));
    expect(errors.map((error) => error.elementId)).toEqual(['kaputt']);
    const ok = await importBpmn(xml.replace(timer('kaputt', '=date('), timer('kaputt', '=today()')));
    expect(ok.ok && ok.definition.states.erinnerung).toMatchObject({
      kind: 'timer',
      delay: { at: 'date(abholung) - duration("P2D")' },
    });
    expect(ok.ok && ok.definition.states.stichtag).toMatchObject({
      kind: 'timer',
      delay: { at: '"2026-01-01T00:00:00Z"' },
    });
  });

  it('rejects a model without start event, and a dead end', async () => {
    const { errors } = expectFailure(
      await importBpmn(camunda7('<bpmn:userTask id="t" camunda:candidateGroups="a" />')),
    );
    expect(errors.map((error) => error.message)).toEqual([
      'Der Prozess hat kein Startereignis',
      '„t“ hat keinen ausgehenden Sequenzfluss; ein Vorgang bliebe hier stehen',
    ]);
  });

  it('rejects an invalid FEEL condition and a form field name that variables cannot use', async () => {
    const xml = camunda7(`
      <bpmn:startEvent id="s"><bpmn:extensionElements><camunda:formData>
        <camunda:formField id="first-name" type="string" /></camunda:formData></bpmn:extensionElements></bpmn:startEvent>
      <bpmn:exclusiveGateway id="g" default="f3" />
      <bpmn:endEvent id="e" />
      ${flow('f1', 's', 'g')}${flow('f2', 'g', 'e', '=amount &gt;')}${flow('f3', 'g', 'e')}`);
    const { errors } = expectFailure(await importBpmn(xml));
    expect(errors.map((error) => [error.elementId, error.message])).toEqual([
      ['f2', 'Sequenzfluss „f2“: Bedingung nicht übertragbar: „amount >“ ist kein gültiger FEEL-Ausdruck'],
      ['s', '„s“: Formularfeld „first-name“ hat keinen gültigen Namen (Buchstaben, Ziffern und _)'],
    ]);
  });

  it('reports zod problems of the built definition with their path', async () => {
    const xml = camunda7(
      `<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />${flow('f', 's', 'e')}`,
      'id="p" name="Test" isExecutable="true"',
    );
    const { errors } = expectFailure(await importBpmn(xml, { key: 'Ungültig!' }));
    expect(errors).toEqual([
      expect.objectContaining({ elementId: 'p', message: expect.stringMatching(/^Ungültige Definition bei „key“/) }),
    ]);
  });
});

describe('importBpmn: mapping details', () => {
  it('converts one-to-one JUEL conditions and keeps the default flow last', async () => {
    const xml = camunda7(`
      <bpmn:startEvent id="s" />
      <bpmn:exclusiveGateway id="g" default="fDefault" />
      <bpmn:endEvent id="a" /><bpmn:endEvent id="b" /><bpmn:endEvent id="c" />
      ${flow('f1', 's', 'g')}
      ${flow('fDefault', 'g', 'c')}
      ${flow('f2', 'g', 'a', juel('antrag.betrag &gt;= 100 &amp;&amp; status == "neu"'))}
      ${flow('f3', 'g', 'b', "#{eilig || land != 'BY' and anzahl lt -2}")}`);
    const { definition } = expectOk(await importBpmn(xml));
    expect(definition.states.g?.transitions).toEqual([
      { target: 'a', guard: 'antrag.betrag >= 100 and status = "neu"' },
      { target: 'b', guard: 'eilig or land != "BY" and anzahl < -2' },
      { target: 'c' },
    ]);
  });

  it.each([
    [juel('!eilig'), 'Zeichen „!“'],
    [juel('empty name'), 'Operator „empty“'],
    [juel('a + 1 > 2'), 'Zeichen „+“'],
    [juel('x ? 1 : 2'), 'Zeichen „?“'],
    ['amount > 1', 'weder FEEL'],
  ])('refuses the condition %s', async (condition, reason) => {
    const xml =
      camunda7(`<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="g" default="f3" /><bpmn:endEvent id="e" />
      ${flow('f1', 's', 'g')}${flow('f2', 'g', 'e', condition.replace(/&/g, '&amp;').replace(/</g, '&lt;'))}${flow('f3', 'g', 'e')}`);
    const { errors } = expectFailure(await importBpmn(xml));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(reason);
  });

  it('folds a task followed by an outcome gateway into task outcomes', async () => {
    const xml = camunda7(`
      <bpmn:startEvent id="s" />
      <bpmn:userTask id="pruefen" name="Prüfen" camunda:candidateGroups="sb" />
      <bpmn:exclusiveGateway id="pruefen_ergebnis" />
      <bpmn:endEvent id="ja" name="Genehmigt" /><bpmn:endEvent id="nein" name="Abgelehnt" />
      <bpmn:endEvent id="gross" name="Großantrag" />
      ${flow('f1', 's', 'pruefen')}${flow('f2', 'pruefen', 'pruefen_ergebnis')}
      ${flow('f3', 'pruefen_ergebnis', 'gross', '=outcome = "genehmigen" and (amount > 1000)', 'Genehmigen')}
      ${flow('f4', 'pruefen_ergebnis', 'ja', '=outcome = "genehmigen"', 'Genehmigen')}
      ${flow('f5', 'pruefen_ergebnis', 'nein', juel('outcome == "ablehnen"'), 'Ablehnen')}`);
    const { definition } = expectOk(await importBpmn(xml));
    expect(Object.keys(definition.states)).toEqual(['pruefen', 'ja', 'nein', 'gross']);
    expect(definition.states.pruefen).toMatchObject({
      kind: 'task',
      outcomes: [
        { id: 'genehmigen', label: 'Genehmigen' },
        { id: 'ablehnen', label: 'Ablehnen' },
      ],
      transitions: [
        { on: 'genehmigen', target: 'gross', guard: 'amount > 1000' },
        { on: 'genehmigen', target: 'ja' },
        { on: 'ablehnen', target: 'nein' },
      ],
    });
  });

  it('keeps a gateway as a decision when its conditions do not all test the outcome', async () => {
    const xml = camunda7(`
      <bpmn:startEvent id="s" />
      <bpmn:userTask id="t" camunda:candidateGroups="sb" />
      <bpmn:exclusiveGateway id="g" />
      <bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
      ${flow('f1', 's', 't')}${flow('f2', 't', 'g')}
      ${flow('f3', 'g', 'a', '=outcome = "ok"')}${flow('f4', 'g', 'b', '=outcome = "ok" and x or y')}`);
    const { definition } = expectOk(await importBpmn(xml));
    expect(definition.states.t).toMatchObject({ transitions: [{ on: 'done', target: 'g' }] });
    expect(definition.states.t).not.toHaveProperty('outcomes');
    expect(definition.states.g).toMatchObject({ kind: 'decision' });
  });

  it('reads groups from potentialOwner and zeebe FEEL literals, and falls back to unassigned', async () => {
    const xml = camunda7(`
      <bpmn:startEvent id="s" />
      <bpmn:userTask id="t1"><bpmn:potentialOwner><bpmn:resourceAssignmentExpression>
        <bpmn:formalExpression>group(standesamt)</bpmn:formalExpression></bpmn:resourceAssignmentExpression></bpmn:potentialOwner></bpmn:userTask>
      <bpmn:userTask id="t2" camunda:candidateGroups="\${gruppe}" />
      <bpmn:manualTask id="t3" name="Akte ablegen" />
      <bpmn:endEvent id="e" />
      ${flow('f1', 's', 't1')}${flow('f2', 't1', 't2')}${flow('f3', 't2', 't3')}${flow('f4', 't3', 'e')}`);
    const { definition, warnings } = expectOk(await importBpmn(xml));
    expect(definition.states.t1).toMatchObject({ group: 'standesamt', title: 't1' });
    expect(definition.states.t2).toMatchObject({ group: 'unassigned' });
    expect(definition.states.t3).toMatchObject({ kind: 'task', group: 'unassigned', title: 'Akte ablegen' });
    expect(warnings.map((warning) => [warning.elementId, warning.message])).toEqual([
      ['t2', `„t2“: Gruppenausdruck „${juel('gruppe')}“ (camunda:candidateGroups) ist nicht auswertbar`],
      ['t2', '„t2“: Keine Gruppe angegeben; die Aufgabe wird der Gruppe „unassigned“ zugewiesen'],
      ['t3', '„t3“ (bpmn:ManualTask) wird als Aufgabe für die Sachbearbeitung übernommen'],
      ['t3', '„t3“: Keine Gruppe angegeben; die Aufgabe wird der Gruppe „unassigned“ zugewiesen'],
    ]);
  });

  it('maps receive tasks, non-interrupting timers, ignored boundary events and Java delegates', async () => {
    const xml = camunda7(`
      <bpmn:startEvent id="s" />
      <bpmn:serviceTask id="svc" camunda:class="de.example.Delegate" />
      <bpmn:receiveTask id="zahlung" name="Auf Zahlung warten" messageRef="m" />
      <bpmn:boundaryEvent id="frist" attachedToRef="zahlung" cancelActivity="false">
        <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P14D</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="fehler" attachedToRef="zahlung"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
      <bpmn:subProcess id="unbenutzt" />
      <bpmn:endEvent id="bezahlt" /><bpmn:endEvent id="verfallen" />
      ${flow('f1', 's', 'svc')}${flow('f2', 'svc', 'zahlung')}${flow('f3', 'zahlung', 'bezahlt')}${flow('f4', 'frist', 'verfallen')}`).replace(
      '</bpmn:definitions>',
      '<bpmn:message id="m" name="payment.paid" /></bpmn:definitions>',
    );
    const { definition, warnings } = expectOk(await importBpmn(xml));
    expect(definition.states.svc).toMatchObject({ kind: 'service', connector: '', operation: '' });
    expect(definition.states.zahlung).toEqual({
      kind: 'wait',
      title: 'Auf Zahlung warten',
      timeout: { duration: 'P14D' },
      transitions: [
        { on: 'payment.paid', target: 'bezahlt' },
        { on: 'timeout', target: 'verfallen' },
      ],
    });
    expect(warnings.map((warning) => warning.elementId)).toEqual(['svc', 'frist', 'fehler', 'unbenutzt']);
    expect(warnings[0]?.message).toContain('camunda:class');
    expect(warnings[1]?.message).toContain('als unterbrechend übernommen');
    expect(warnings[2]?.message).toContain('wird ignoriert');
    expect(warnings[3]?.message).toBe('„unbenutzt“ (bpmn:SubProcess) wird nicht unterstützt und ignoriert');
  });

  it('picks the executable process among several and warns', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="skizze" isExecutable="false" />
  <bpmn:process id="ausweis-beantragen" name="Ausweis" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:endEvent id="e" />${flow('f', 's', 'e')}
  </bpmn:process>
</bpmn:definitions>`;
    const { definition, warnings } = expectOk(await importBpmn(xml));
    expect(definition).toMatchObject({ key: 'ausweis-beantragen', title: 'Ausweis', caseNumberPrefix: 'AUS' });
    expect(warnings).toEqual([
      {
        elementId: 'ausweis-beantragen',
        elementType: 'bpmn:Process',
        message: 'Die Datei enthält 2 Prozesse; importiert wird der ausführbare Prozess „ausweis-beantragen“',
      },
    ]);
  });

  it('derives key and case number prefix with transliterated umlauts', async () => {
    const xml = camunda7(
      `<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />${flow('f', 's', 'e')}`,
      'id="Process_0x1" name="Übergabe der Akte"',
    );
    const { definition } = expectOk(await importBpmn(xml));
    expect(definition).toMatchObject({
      key: 'uebergabe-der-akte',
      caseNumberPrefix: 'UEB',
      title: 'Übergabe der Akte',
    });
  });

  it('reads a file declaring Camunda 7 and 8 namespaces with the more used one, and warns', async () => {
    const xml = fixture('camunda7-sondernutzung.bpmn').replace(
      'xmlns:modeler=',
      'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler=',
    );
    const { definition, warnings } = expectOk(await importBpmn(xml));
    expect(definition.states.Task_Fachverfahren).toMatchObject({ connector: 'fachverfahren-http@1' });
    expect(warnings[0]?.message).toContain('Camunda-7-(camunda)');
  });
});

describe('importBpmn: damaged input', () => {
  const sources = [
    fixture('camunda7-sondernutzung.bpmn'),
    fixture('camunda8-wohngeld.bpmn'),
    fixture('collaboration-with-diagram.bpmn'),
  ];

  it('answers with a result, never a throw, when parts of a model are cut out or repeated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sources),
        fc.nat(),
        fc.integer({ min: 1, max: 400 }),
        fc.boolean(),
        async (source, at, length, repeat) => {
          const start = at % source.length;
          const cut = source.slice(start, start + length);
          const damaged = repeat
            ? source.slice(0, start) + cut + cut + source.slice(start + length)
            : source.slice(0, start) + source.slice(start + length);
          const result = await importBpmn(damaged);
          if (result.ok) expect(definitionSchema.safeParse(result.definition).success).toBe(true);
          else expect(result.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
