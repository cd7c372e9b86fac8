import { layoutProcess } from 'bpmn-auto-layout';
import type { BpmnModdle, CreatedElement } from 'bpmn-moddle';
import {
  type Definition,
  type Delay,
  definitionSchema,
  type State,
  type Transition,
} from '../definition/definition.schema.ts';
import type { Form } from '../definition/form.schema.ts';
import { formToFormData, isFormRepresentable } from './camunda-form.ts';
import { layeredDiagram } from './layered-diagram.ts';
import { createModdle, isNode } from './moddle-node.ts';
import { IdAllocator } from './naming.ts';
import { OUTCOME_VARIABLE, PROPERTY } from './vendor-properties.ts';

/**
 * Writes a definition as BPMN 2.0 XML with Camunda 7 extensions and a generated diagram (BPMNDI, laid out by
 * bpmn-auto-layout, or by layeredDiagram where that library fails), so that Camunda Modeler and bpmn-js show it
 * and importBpmn reads it back to the same definition. Throws a ZodError for an invalid definition (a caller's
 * bug: stored definitions are valid). The mapping, state by state (element ids are the state ids):
 *
 * - task → userTask (`camunda:candidateGroups`, form as `camunda:formData`). A task with `outcomes` gets an
 *   exclusive gateway right after it whose flows test `=outcome = "<id>"` (plus ` and (<guard>)` for guarded
 *   transitions), named with the outcome label; importBpmn recognises exactly this pattern and folds the gateway
 *   back into the task's outcomes. `timeout` → interrupting timer boundary event.
 * - service → serviceTask `camunda:type="external"`, `camunda:topic="<connector>:<operation>"`, input and result
 *   mappings as `camunda:inputOutput` parameters with `=FEEL` values; `failed` → error boundary event.
 * - wait → message catch event, or a receiveTask when it also has a timeout (timer boundary event) or waits for
 *   several messages (one message boundary event per further message).
 * - timer → timer catch event; decision → exclusive gateway with `=FEEL` conditions, the unguarded last
 *   transition as default flow; final → end event.
 * - Several transitions on one event, or a guarded one, outside decisions and outcomes: an exclusive gateway
 *   after the element (imported back as a decision state of its own; same behaviour, one more state).
 *
 * What BPMN cannot say (working days, status labels, due dates, retry policy, forms beyond camunda:formData,
 * catalogue fields) travels in `camunda:properties` named `verfahren:*`. Not carried over: a transition's label
 * on an outcome flow (the flow shows the outcome label), outcomes without a transition, and `position`
 * (the diagram is laid out anew).
 */
export async function exportBpmn(definition: Definition): Promise<string> {
  return new BpmnWriter(definitionSchema.parse(definition)).write();
}

type Transitions = Transition[];

class BpmnWriter {
  readonly #definition: Definition;
  readonly #moddle: BpmnModdle = createModdle('camunda');
  readonly #ids = new IdAllocator();
  readonly #nodes = new Map<string, CreatedElement>();
  readonly #elements: CreatedElement[] = [];
  readonly #flows: CreatedElement[] = [];
  readonly #incoming = new Map<CreatedElement, CreatedElement[]>();
  readonly #outgoing = new Map<CreatedElement, CreatedElement[]>();
  readonly #messages = new Map<string, CreatedElement>();
  /** The key, unless a state already has that id. */
  readonly #processId: string;

  constructor(definition: Definition) {
    this.#definition = definition;
    for (const stateId of Object.keys(definition.states)) this.#ids.reserve(stateId);
    this.#processId = this.#ids.allocate(this.#ids.has(definition.key) ? `Process_${definition.key}` : definition.key);
  }

  async write(): Promise<string> {
    const definition = this.#definition;
    for (const [stateId, state] of Object.entries(definition.states)) {
      const node = this.#stateNode(stateId, state);
      this.#nodes.set(stateId, node);
      this.#add(node);
    }
    const start = this.#create('bpmn:StartEvent', {
      id: this.#ids.allocate('StartEvent_Antrag'),
      name: 'Antrag eingegangen',
      extensionElements: this.#extensionElements([], this.#formExtensions(definition.form, true)),
    });
    this.#elements.unshift(start);
    const initial = this.#nodes.get(definition.initial);
    if (initial) this.#connect(start, initial);
    for (const [stateId, state] of Object.entries(definition.states)) {
      const node = this.#nodes.get(stateId);
      if (node) this.#stateFlows(node, state);
    }
    for (const element of this.#elements) {
      element.incoming = this.#incoming.get(element) ?? [];
      element.outgoing = this.#outgoing.get(element) ?? [];
    }
    const processId = this.#processId;
    const process = this.#create('bpmn:Process', {
      id: processId,
      name: definition.title,
      isExecutable: true,
      documentation: this.#documentation(definition.description),
      extensionElements: this.#extensionElements([
        [PROPERTY.key, processId === definition.key ? undefined : definition.key],
        [PROPERTY.caseNumberPrefix, definition.caseNumberPrefix],
        [PROPERTY.category, definition.category],
        [PROPERTY.fee, definition.fee],
        [PROPERTY.duration, definition.duration],
        [PROPERTY.requiresLogin, definition.requiresLogin ? 'true' : undefined],
        [PROPERTY.synonyms, definition.synonyms.length > 0 ? JSON.stringify(definition.synonyms) : undefined],
        [
          PROPERTY.constants,
          Object.keys(definition.constants).length > 0 ? JSON.stringify(definition.constants) : undefined,
        ],
      ]),
      flowElements: [...this.#elements, ...this.#flows],
    });
    const root = this.#create('bpmn:Definitions', {
      id: this.#ids.allocate(`Definitions_${definition.key}`),
      targetNamespace: 'http://bpmn.io/schema/bpmn',
      exporter: 'Verfahrenswerk',
      exporterVersion: '1',
      rootElements: [...this.#messages.values(), process],
    });
    return this.#withDiagram(root, [root, process, ...this.#messages.values(), ...this.#elements, ...this.#flows]);
  }

  /**
   * Adds BPMNDI, laid out by bpmn-auto-layout, or by a simple layered layout where the library throws (it does on
   * some graphs with loops and parallel flows). The library names diagram elements `<id>_di`, which may clash
   * with a state id (`pruefen` and `pruefen_di`), so it works on opaque ids; the real ids are put back
   * afterwards and the diagram elements get ids that are unique in the document.
   */
  async #withDiagram(root: CreatedElement, identified: CreatedElement[]): Promise<string> {
    const realIds = new Map<string, string>();
    identified.forEach((element, index) => {
      realIds.set(`e${index}`, String(element.id));
      element.id = `e${index}`;
    });
    const { xml: opaqueXml } = await this.#moddle.toXML(root);
    for (const element of identified) element.id = realIds.get(String(element.id));
    const parsed = await this.#autoLayout(opaqueXml);
    if (!parsed) {
      const [process] = identified.filter((element) => element.$type === 'bpmn:Process');
      if (process) root.diagrams = [layeredDiagram(this.#moddle, this.#ids, process, this.#elements, this.#flows)];
      return (await this.#moddle.toXML(root, { format: true })).xml;
    }
    const byId = parsed.elementsById;
    const elements = typeof byId === 'object' && byId !== null ? Object.values(byId).filter(isNode) : [];
    const diagramId = /^(BPMNDiagram_|BPMNPlane_)?(e\d+)(_di)?$/;
    for (const element of elements) {
      const match = diagramId.exec(String(element.id));
      const real = realIds.get(match?.[2] ?? '');
      if (!match || real === undefined) continue;
      element.id = match[1] || match[3] ? this.#ids.allocate(`${match[1] ?? ''}${real}${match[3] ?? ''}`) : real;
    }
    return (await this.#moddle.toXML(parsed.rootElement, { format: true })).xml;
  }

  /** bpmn-auto-layout's result, or undefined where it throws or writes a model that does not read back cleanly. */
  async #autoLayout(opaqueXml: string) {
    let laidOut: string;
    try {
      laidOut = await layoutProcess(opaqueXml);
    } catch {
      return undefined;
    }
    const parsed = await this.#moddle.fromXML(laidOut);
    return isNode(parsed.rootElement) && parsed.warnings.length === 0
      ? { ...parsed, rootElement: parsed.rootElement }
      : undefined;
  }

  #stateNode(id: string, state: State): CreatedElement {
    const common = { id, name: state.title, documentation: this.#documentation(state.description) };
    const status: [string, string | undefined] = [PROPERTY.status, state.status];
    switch (state.kind) {
      case 'task':
        return this.#create('bpmn:UserTask', {
          ...common,
          candidateGroups: state.group,
          extensionElements: this.#extensionElements(
            [status, [PROPERTY.due, state.due ? JSON.stringify(state.due) : undefined]],
            state.form ? this.#formExtensions(state.form, false) : {},
          ),
        });
      case 'service': {
        const mappings = [
          ...Object.entries(state.input).map(([name, value]) =>
            this.#create('camunda:InputParameter', { name, value: `=${value}` }),
          ),
        ];
        const results = Object.entries(state.result).map(([name, value]) =>
          this.#create('camunda:OutputParameter', { name, value: `=${value}` }),
        );
        const inputOutput =
          mappings.length + results.length > 0
            ? this.#create('camunda:InputOutput', { inputParameters: mappings, outputParameters: results })
            : undefined;
        const binding = state.connector
          ? {
              type: 'external',
              topic: state.operation ? `${state.connector}:${state.operation}` : state.connector,
            }
          : {};
        return this.#create('bpmn:ServiceTask', {
          ...common,
          ...binding,
          extensionElements: this.#extensionElements(
            [status, [PROPERTY.retry, state.retry ? JSON.stringify(state.retry) : undefined]],
            { before: inputOutput ? [inputOutput] : [] },
          ),
        });
      }
      case 'wait': {
        const [primary, ...others] = messageNames(state.transitions);
        const messageRef = primary === undefined ? undefined : this.#message(primary);
        const extensionElements = this.#extensionElements([status]);
        if (state.timeout || others.length > 0) {
          return this.#create('bpmn:ReceiveTask', { ...common, messageRef, extensionElements });
        }
        return this.#create('bpmn:IntermediateCatchEvent', {
          ...common,
          extensionElements,
          eventDefinitions: [this.#create('bpmn:MessageEventDefinition', { messageRef })],
        });
      }
      case 'timer':
        return this.#create('bpmn:IntermediateCatchEvent', {
          ...common,
          extensionElements: this.#extensionElements([status, ...this.#workingDays(state.delay)]),
          eventDefinitions: [this.#timerDefinition(state.delay)],
        });
      case 'decision':
        return this.#create('bpmn:ExclusiveGateway', {
          ...common,
          extensionElements: this.#extensionElements([status]),
        });
      case 'final':
        return this.#create('bpmn:EndEvent', {
          ...common,
          name: state.title ?? state.status,
          extensionElements: this.#extensionElements([
            [PROPERTY.outcome, state.outcome],
            [PROPERTY.status, state.title === undefined ? undefined : state.status],
          ]),
        });
    }
  }

  #stateFlows(node: CreatedElement, state: State): void {
    const on = (event: string) => state.transitions.filter((transition) => transition.on === event);
    const id = String(node.id);
    switch (state.kind) {
      case 'task': {
        if (state.outcomes && state.outcomes.length > 0) {
          const ordered = state.outcomes.flatMap((outcome) =>
            on(outcome.id).map((transition) => ({ outcome, transition })),
          );
          if (ordered.length > 0) {
            const gateway = this.#gateway(`${id}_ergebnis`);
            this.#connect(node, gateway);
            for (const { outcome, transition } of ordered) {
              const test = `${OUTCOME_VARIABLE} = ${JSON.stringify(outcome.id)}`;
              this.#connectTo(gateway, transition, {
                name: outcome.label,
                condition: transition.guard ? `${test} and (${transition.guard})` : test,
              });
            }
          }
        } else {
          this.#eventFlows(node, on('done'));
        }
        if (state.timeout) this.#eventFlows(this.#timerBoundary(node, state.timeout), on('timeout'));
        return;
      }
      case 'service': {
        this.#eventFlows(node, on('done'));
        const failed = on('failed');
        if (failed.length > 0) {
          const boundary = this.#boundary(node, `${id}_fehler`, this.#create('bpmn:ErrorEventDefinition', {}));
          this.#eventFlows(boundary, failed);
        }
        return;
      }
      case 'wait': {
        const [primary, ...others] = messageNames(state.transitions);
        if (primary !== undefined) this.#eventFlows(node, on(primary));
        for (const name of others) {
          const definition = this.#create('bpmn:MessageEventDefinition', { messageRef: this.#message(name) });
          this.#eventFlows(this.#boundary(node, `${id}_nachricht`, definition), on(name));
        }
        if (state.timeout) this.#eventFlows(this.#timerBoundary(node, state.timeout), on('timeout'));
        return;
      }
      case 'timer':
        this.#eventFlows(node, on('timeout'));
        return;
      case 'decision':
        this.#decisionFlows(node, state.transitions);
        return;
      case 'final':
        return;
    }
  }

  /** Flows for one event: a plain flow, or a gateway when the event has several or guarded transitions. */
  #eventFlows(source: CreatedElement, transitions: Transitions): void {
    const [only] = transitions;
    if (!only) return;
    if (transitions.length === 1 && only.guard === undefined) {
      this.#connectTo(source, only, { name: only.label });
      return;
    }
    const gateway = this.#gateway(`${String(source.id)}_weiche`);
    this.#connect(source, gateway);
    this.#decisionFlows(gateway, transitions);
  }

  #decisionFlows(gateway: CreatedElement, transitions: Transitions): void {
    transitions.forEach((transition, index) => {
      if (transition.guard !== undefined) {
        this.#connectTo(gateway, transition, { name: transition.label, condition: transition.guard });
      } else if (index === transitions.length - 1) {
        const flow = this.#connectTo(gateway, transition, { name: transition.label });
        if (flow) gateway.default = flow;
      } else {
        this.#connectTo(gateway, transition, { name: transition.label, condition: 'true' });
      }
    });
  }

  #connectTo(
    source: CreatedElement,
    transition: Transition,
    options: { name?: string; condition?: string },
  ): CreatedElement | undefined {
    const target = this.#nodes.get(transition.target);
    return target ? this.#connect(source, target, options) : undefined;
  }

  #connect(
    source: CreatedElement,
    target: CreatedElement,
    options: { name?: string; condition?: string } = {},
  ): CreatedElement {
    const flow = this.#create('bpmn:SequenceFlow', {
      id: this.#ids.allocate(`Flow_${this.#flows.length + 1}`),
      name: options.name,
      sourceRef: source,
      targetRef: target,
      conditionExpression:
        options.condition === undefined
          ? undefined
          : this.#create('bpmn:FormalExpression', { body: `=${options.condition}` }),
    });
    this.#flows.push(flow);
    this.#outgoing.set(source, [...(this.#outgoing.get(source) ?? []), flow]);
    this.#incoming.set(target, [...(this.#incoming.get(target) ?? []), flow]);
    return flow;
  }

  #gateway(idBase: string): CreatedElement {
    const gateway = this.#create('bpmn:ExclusiveGateway', { id: this.#ids.allocate(idBase) });
    this.#add(gateway);
    return gateway;
  }

  #timerBoundary(host: CreatedElement, delay: Delay): CreatedElement {
    const boundary = this.#boundary(host, `${String(host.id)}_frist`, this.#timerDefinition(delay));
    const extensionElements = this.#extensionElements(this.#workingDays(delay));
    if (extensionElements) boundary.extensionElements = extensionElements;
    return boundary;
  }

  #boundary(host: CreatedElement, idBase: string, definition: CreatedElement): CreatedElement {
    const boundary = this.#create('bpmn:BoundaryEvent', {
      id: this.#ids.allocate(idBase),
      attachedToRef: host,
      eventDefinitions: [definition],
    });
    this.#add(boundary);
    return boundary;
  }

  #timerDefinition(delay: Delay): CreatedElement {
    if ('at' in delay) {
      return this.#create('bpmn:TimerEventDefinition', {
        timeDate: this.#create('bpmn:FormalExpression', { body: `=${delay.at}` }),
      });
    }
    const duration = 'duration' in delay ? delay.duration : `P${delay.workingDays}D`;
    return this.#create('bpmn:TimerEventDefinition', {
      timeDuration: this.#create('bpmn:FormalExpression', { body: duration }),
    });
  }

  #workingDays(delay: Delay): [string, string | undefined][] {
    return 'workingDays' in delay ? [[PROPERTY.workingDays, String(delay.workingDays)]] : [];
  }

  #message(name: string): CreatedElement {
    const known = this.#messages.get(name);
    if (known) return known;
    const message = this.#create('bpmn:Message', {
      id: this.#ids.allocate(`Message_${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`),
      name,
    });
    this.#messages.set(name, message);
    return message;
  }

  /** camunda:formData for what it can express, plus the whole JSON Schema when it cannot express everything. */
  #formExtensions(form: Form, citizenForm: boolean): { before?: CreatedElement[]; properties?: [string, string][] } {
    const formData = formToFormData(this.#moddle, form);
    return {
      before: formData ? [formData] : [],
      properties: isFormRepresentable(form, citizenForm) ? [] : [[PROPERTY.form, JSON.stringify(form)]],
    };
  }

  #extensionElements(
    properties: [string, string | undefined][],
    extra: { before?: CreatedElement[]; properties?: [string, string][] } = {},
  ): CreatedElement | undefined {
    const entries = [...properties, ...(extra.properties ?? [])].flatMap(([name, value]) =>
      value === undefined ? [] : [this.#create('camunda:Property', { name, value })],
    );
    const values = [
      ...(extra.before ?? []),
      ...(entries.length > 0 ? [this.#create('camunda:Properties', { values: entries })] : []),
    ];
    return values.length > 0 ? this.#create('bpmn:ExtensionElements', { values }) : undefined;
  }

  #documentation(text: string | undefined): CreatedElement[] | undefined {
    return text ? [this.#create('bpmn:Documentation', { text })] : undefined;
  }

  #add(element: CreatedElement): void {
    this.#elements.push(element);
  }

  /** moddle.create without undefined attributes (moddle would write them as empty). */
  #create(type: string, attrs: Record<string, unknown>): CreatedElement {
    const defined = Object.fromEntries(Object.entries(attrs).filter(([, value]) => value !== undefined));
    return this.#moddle.create(type, defined);
  }
}

/** The messages a wait state waits for, in the order of its transitions (`timeout` is its timer, no message). */
function messageNames(transitions: Transitions): string[] {
  const names: string[] = [];
  for (const { on } of transitions) if (on !== undefined && on !== 'timeout' && !names.includes(on)) names.push(on);
  return names;
}
