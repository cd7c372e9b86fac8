import type { z } from 'zod';
import {
  type DefinitionInput,
  type Delay,
  type decisionStateSchema,
  definitionSchema,
  delaySchema,
  type finalStateSchema,
  retryPolicySchema,
  type serviceStateSchema,
  type Transition,
  type taskStateSchema,
  type timerStateSchema,
  type waitStateSchema,
} from '../definition/definition.schema.ts';
import { type Form, formSchema } from '../definition/form.schema.ts';
import { checkExpression } from '../expressions/feel.ts';
import type { IssueCollector } from './bpmn-issue.ts';
import { formFromFormData } from './camunda-form.ts';
import { conditionToFeel, mappingToFeel } from './condition.ts';
import {
  bool,
  child,
  children,
  type Dialect,
  documentation,
  extensionProperties,
  extensions,
  idOf,
  type ModdleNode,
  str,
} from './moddle-node.ts';
import { caseNumberPrefix, IdAllocator, procedureKey, slugify, stateIdFromBpmnId } from './naming.ts';
import { OUTCOME_VARIABLE, PROPERTY } from './vendor-properties.ts';

type StateInput = DefinitionInput['states'][string];
type TaskInput = z.input<typeof taskStateSchema>;
type ServiceInput = z.input<typeof serviceStateSchema>;
type WaitInput = z.input<typeof waitStateSchema>;
type DecisionInput = z.input<typeof decisionStateSchema>;
type TimerInput = z.input<typeof timerStateSchema>;
type FinalInput = z.input<typeof finalStateSchema>;
type Common = { title?: string; description?: string; status?: string; position?: { x: number; y: number } };

/** What a BPMN flow node becomes. */
type Role =
  | 'start'
  | 'task'
  | 'service'
  | 'wait'
  | 'timer'
  | 'decision'
  | 'passThrough'
  | 'final'
  | 'boundary'
  | 'outcomeGateway'
  | 'unsupportedGateway'
  | 'unsupported';

type OutcomeFlow = { flow: ModdleNode; outcome: string; guard?: string };

const NOT_FLOW_NODES = new Set([
  'bpmn:SequenceFlow',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);
const TASK_TYPES = new Set(['bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:Task']);
const UNSUPPORTED_GATEWAYS = new Set([
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:ComplexGateway',
]);
const OUTCOME_ID = /^[a-z][a-z0-9_-]{0,39}$/;
const OUTCOME_CONDITION = new RegExp(`^${OUTCOME_VARIABLE}\\s*=\\s*"([^"\\\\]*)"(?:\\s+and\\s+([\\s\\S]+))?$`);
const EMPTY_FORM: Form = { type: 'object', properties: {} };

/** Extension elements each role reads; any other extension element is reported as not imported. */
const READ_EXTENSIONS: Partial<Record<Role, string[]>> = {
  start: ['camunda:FormData'],
  task: ['camunda:FormData', 'zeebe:AssignmentDefinition', 'zeebe:UserTask'],
  service: ['camunda:InputOutput', 'zeebe:TaskDefinition', 'zeebe:IoMapping'],
};
const PROPERTY_CONTAINERS = ['camunda:Properties', 'zeebe:Properties'];

/** Import options, see importBpmn. */
export type ProcessMapperOptions = { key?: string; knownConnectors?: string[] };

/**
 * Maps one parsed BPMN process to a procedure definition candidate. Every problem is recorded in the issue
 * collector; `map()` returns undefined only when there is nothing to build on (no start event).
 */
export class ProcessMapper {
  readonly #process: ModdleNode;
  readonly #issues: IssueCollector;
  readonly #dialect: Dialect;
  readonly #options: ProcessMapperOptions;
  readonly #fallbackTitle: string | undefined;
  readonly #reportedFlows: Set<ModdleNode>;
  readonly #nodes: ModdleNode[] = [];
  readonly #roles = new Map<ModdleNode, Role>();
  readonly #stateIds = new Map<ModdleNode, string>();
  readonly #outgoing = new Map<ModdleNode, ModdleNode[]>();
  readonly #incoming = new Map<ModdleNode, ModdleNode[]>();
  readonly #boundaries = new Map<ModdleNode, ModdleNode[]>();
  readonly #outcomeFlows = new Map<ModdleNode, OutcomeFlow[]>();
  readonly #lanes = new Map<ModdleNode, string>();
  readonly #positions: Map<ModdleNode, { x: number; y: number }>;

  constructor(args: {
    process: ModdleNode;
    definitions: ModdleNode;
    issues: IssueCollector;
    dialect: Dialect;
    options: ProcessMapperOptions;
    /** Title to use when the process has no name (the participant's name in a collaboration). */
    fallbackTitle?: string;
    /** Sequence flows whose dangling references the parser already reported. */
    reportedFlows: Set<ModdleNode>;
  }) {
    this.#process = args.process;
    this.#issues = args.issues;
    this.#dialect = args.dialect;
    this.#options = args.options;
    this.#fallbackTitle = args.fallbackTitle;
    this.#reportedFlows = args.reportedFlows;
    this.#positions = shapePositions(args.definitions);
  }

  /** Builds the definition candidate (not yet validated by zod). */
  map(): DefinitionInput | undefined {
    this.#indexGraph();
    this.#classify();
    const start = this.#findStart();
    const states: Record<string, StateInput> = {};
    for (const node of this.#nodes) {
      const state = this.#mapNode(node);
      const stateId = this.#stateIds.get(node);
      if (state && stateId) states[stateId] = state;
    }
    const initial = start ? this.#initialState(start) : undefined;
    if (!start || !initial) return undefined;
    return {
      schemaVersion: 1,
      ...this.#procedureFields(),
      form: this.#elementForm(start, 'start') ?? EMPTY_FORM,
      initial,
      states,
    };
  }

  /** The BPMN element a state came from, to point zod errors at it. */
  nodeOfState(stateId: string): ModdleNode | undefined {
    for (const [node, id] of this.#stateIds) if (id === stateId) return node;
    return undefined;
  }

  #indexGraph(): void {
    const flows: ModdleNode[] = [];
    for (const element of children(this.#process, 'flowElements')) {
      if (element.$type === 'bpmn:SequenceFlow') flows.push(element);
      else if (!NOT_FLOW_NODES.has(element.$type)) this.#nodes.push(element);
    }
    for (const node of this.#nodes) {
      this.#outgoing.set(node, []);
      this.#incoming.set(node, []);
    }
    for (const flow of flows) {
      const source = child(flow, 'sourceRef');
      const target = child(flow, 'targetRef');
      if (!this.#reportedFlows.has(flow)) {
        if (!source) this.#issues.error(`Sequenzfluss „${idOf(flow)}“ hat keine Quelle (sourceRef)`, flow);
        if (!target) this.#issues.error(`Sequenzfluss „${idOf(flow)}“ hat kein Ziel (targetRef)`, flow);
      }
      for (const [end, map, word] of [
        [source, this.#outgoing, 'Quelle'],
        [target, this.#incoming, 'Ziel'],
      ] as const) {
        if (!end) continue;
        const list = map.get(end);
        if (list) list.push(flow);
        else
          this.#issues.error(
            `Sequenzfluss „${idOf(flow)}“: ${word} „${idOf(end)}“ liegt nicht in diesem Prozess`,
            flow,
          );
      }
    }
    for (const [node, list] of this.#outgoing) {
      const declared = children(node, 'outgoing');
      const rank = (flow: ModdleNode) => {
        const index = declared.indexOf(flow);
        return index < 0 ? Number.MAX_SAFE_INTEGER : index;
      };
      list.sort((a, b) => rank(a) - rank(b));
    }
    for (const node of this.#nodes) {
      if (node.$type !== 'bpmn:BoundaryEvent') continue;
      const host = child(node, 'attachedToRef');
      if (!host) continue;
      this.#boundaries.set(host, [...(this.#boundaries.get(host) ?? []), node]);
    }
    this.#indexLanes(children(this.#process, 'laneSets'));
  }

  #indexLanes(laneSets: ModdleNode[]): void {
    for (const laneSet of laneSets) {
      for (const lane of children(laneSet, 'lanes')) {
        const name = str(lane, 'name')?.trim();
        if (name) for (const node of children(lane, 'flowNodeRef')) this.#lanes.set(node, name);
        const nested = child(lane, 'childLaneSet');
        if (nested) this.#indexLanes([nested]);
      }
    }
  }

  #classify(): void {
    for (const node of this.#nodes) this.#roles.set(node, this.#roleOf(node));
    const ids = new IdAllocator();
    for (const node of this.#nodes) {
      const role = this.#roles.get(node);
      if (!role || !['task', 'service', 'wait', 'timer', 'decision', 'passThrough', 'final'].includes(role)) continue;
      const bpmnId = idOf(node);
      const stateId = ids.allocate(stateIdFromBpmnId(bpmnId));
      if (stateId !== bpmnId) this.#issues.warn(`ID „${bpmnId}“ wird als Zustands-ID „${stateId}“ übernommen`, node);
      this.#stateIds.set(node, stateId);
    }
  }

  #roleOf(node: ModdleNode): Role {
    const definitions = children(node, 'eventDefinitions');
    const only = definitions.length === 1 ? definitions[0]?.$type : undefined;
    switch (node.$type) {
      case 'bpmn:StartEvent':
        return 'start';
      case 'bpmn:UserTask':
      case 'bpmn:ManualTask':
      case 'bpmn:Task':
        return 'task';
      case 'bpmn:ServiceTask':
      case 'bpmn:SendTask':
        return 'service';
      case 'bpmn:ReceiveTask':
        return 'wait';
      case 'bpmn:IntermediateCatchEvent':
        return only === 'bpmn:TimerEventDefinition'
          ? 'timer'
          : only === 'bpmn:MessageEventDefinition'
            ? 'wait'
            : 'unsupported';
      case 'bpmn:IntermediateThrowEvent':
        return definitions.length === 0 ? 'passThrough' : 'unsupported';
      case 'bpmn:ExclusiveGateway': {
        const outcomeFlows = this.#detectOutcomeGateway(node);
        if (!outcomeFlows) return 'decision';
        this.#outcomeFlows.set(node, outcomeFlows);
        return 'outcomeGateway';
      }
      case 'bpmn:EndEvent':
        return 'final';
      case 'bpmn:BoundaryEvent':
        return 'boundary';
      default:
        return UNSUPPORTED_GATEWAYS.has(node.$type) ? 'unsupportedGateway' : 'unsupported';
    }
  }

  /**
   * Task outcomes in BPMN (the pattern exportBpmn writes): a task whose only outgoing flow enters an exclusive
   * gateway that has no other incoming flow and no default flow, and every outgoing flow of that gateway tests
   * `outcome = "<id>"`, optionally `and (<guard>)`. Such a gateway is no state of its own: its flows become the
   * task's outcome transitions. Any other gateway becomes a decision state.
   */
  #detectOutcomeGateway(gateway: ModdleNode): OutcomeFlow[] | undefined {
    const incoming = this.#incoming.get(gateway) ?? [];
    const source = child(incoming[0], 'sourceRef');
    if (incoming.length !== 1 || !source || !TASK_TYPES.has(source.$type)) return undefined;
    if ((this.#outgoing.get(source) ?? []).length !== 1 || child(gateway, 'default')) return undefined;
    const flows = this.#outgoing.get(gateway) ?? [];
    if (flows.length === 0) return undefined;
    const result: OutcomeFlow[] = [];
    for (const flow of flows) {
      const condition = child(flow, 'conditionExpression');
      const feel = conditionToFeel(str(condition, 'body'), str(condition, 'language'));
      const match = feel.ok ? OUTCOME_CONDITION.exec(feel.feel) : null;
      const outcome = match?.[1];
      if (!match || outcome === undefined || !OUTCOME_ID.test(outcome)) return undefined;
      const rest = match[2]?.trim();
      if (rest === undefined) {
        result.push({ flow, outcome });
        continue;
      }
      if (!isWrappedInParentheses(rest)) return undefined;
      result.push({ flow, outcome, guard: rest.slice(1, -1).trim() });
    }
    return result;
  }

  #findStart(): ModdleNode | undefined {
    const starts = this.#nodes.filter((node) => this.#roles.get(node) === 'start');
    const start = starts.find((node) => children(node, 'eventDefinitions').length === 0) ?? starts[0];
    if (!start) {
      this.#issues.error('Der Prozess hat kein Startereignis', this.#process);
      return undefined;
    }
    for (const definition of children(start, 'eventDefinitions')) {
      this.#issues.warn(
        `„${idOf(start)}“: Startereignis-Typ ${definition.$type} wird als einfacher Start (Antrag) übernommen`,
        start,
      );
    }
    for (const other of starts) {
      if (other === start) continue;
      if ((this.#outgoing.get(other) ?? []).length > 0) {
        this.#issues.error(
          `„${idOf(other)}“: Mehrere Startereignisse werden nicht unterstützt (verwendet wird „${idOf(start)}“)`,
          other,
        );
      } else {
        this.#issues.warn(`„${idOf(other)}“: Weiteres Startereignis ohne Sequenzfluss wird ignoriert`, other);
      }
    }
    return start;
  }

  #initialState(start: ModdleNode): string | undefined {
    this.#reportUnreadExtensions(start, 'start');
    const flows = this.#outgoing.get(start) ?? [];
    if (flows.length !== 1) {
      this.#issues.error(
        flows.length === 0
          ? `Startereignis „${idOf(start)}“ hat keinen ausgehenden Sequenzfluss`
          : `Startereignis „${idOf(start)}“ hat ${flows.length} ausgehende Sequenzflüsse; erlaubt ist genau einer`,
        start,
      );
      return undefined;
    }
    return this.#transitions(start, undefined)[0]?.target;
  }

  #procedureFields() {
    const properties = extensionProperties(this.#process);
    const processId = idOf(this.#process);
    const name = str(this.#process, 'name')?.trim() || undefined;
    const title = this.#clip(name ?? this.#fallbackTitle ?? processId, 200, 'Titel', this.#process);
    const fields: Omit<DefinitionInput, 'schemaVersion' | 'form' | 'initial' | 'states'> = {
      key: this.#options.key ?? properties.get(PROPERTY.key) ?? procedureKey(processId, name ?? this.#fallbackTitle),
      title,
      caseNumberPrefix: caseNumberPrefix(title),
    };
    const description = documentation(this.#process);
    if (description) fields.description = this.#clip(description, 5000, 'Beschreibung', this.#process);
    const shape = definitionSchema.shape;
    const read = <T>(property: string, schema: z.ZodType<T>, json: boolean): T | undefined => {
      const text = properties.get(property);
      if (text === undefined) return undefined;
      const parsed = json ? parseJson(text, schema) : schema.safeParse(text).data;
      if (parsed === undefined) {
        this.#issues.warn(`Prozesseigenschaft „${property}“ ist ungültig und wird ignoriert`, this.#process);
      }
      return parsed;
    };
    const prefix = read(PROPERTY.caseNumberPrefix, shape.caseNumberPrefix, false);
    if (prefix) fields.caseNumberPrefix = prefix;
    const category = read(PROPERTY.category, shape.category, false);
    if (category) fields.category = category;
    const fee = read(PROPERTY.fee, shape.fee, false);
    if (fee) fields.fee = fee;
    const duration = read(PROPERTY.duration, shape.duration, false);
    if (duration) fields.duration = duration;
    const requiresLogin = read(PROPERTY.requiresLogin, shape.requiresLogin, true);
    if (requiresLogin !== undefined) fields.requiresLogin = requiresLogin;
    const synonyms = read(PROPERTY.synonyms, shape.synonyms, true);
    if (synonyms) fields.synonyms = synonyms;
    const constants = read(PROPERTY.constants, shape.constants, true);
    if (constants) fields.constants = constants;
    return fields;
  }

  #mapNode(node: ModdleNode): StateInput | undefined {
    const role = this.#roles.get(node);
    if (role !== 'start') this.#reportUnreadExtensions(node, role);
    switch (role) {
      case 'task':
        return this.#mapTask(node);
      case 'service':
        return this.#mapService(node);
      case 'wait':
        return this.#mapWait(node);
      case 'timer':
        return this.#mapTimer(node);
      case 'decision':
        return this.#mapDecision(node);
      case 'passThrough':
        this.#issues.warn(
          `„${idOf(node)}“: Zwischenereignis ohne Typ wird als Durchgangszustand (Entscheidung ohne Bedingung) übernommen`,
          node,
        );
        return { kind: 'decision', ...this.#common(node), transitions: this.#transitions(node, undefined) };
      case 'final':
        return this.#mapFinal(node);
      case 'boundary': {
        const host = child(node, 'attachedToRef');
        const hostRole = host ? this.#roles.get(host) : undefined;
        if (hostRole !== 'task' && hostRole !== 'service' && hostRole !== 'wait') {
          this.#issues.warn(
            `Randereignis „${idOf(node)}“ an „${idOf(host)}“ wird ignoriert (nur an Aufgaben, Dienst- und Empfangsaufgaben)`,
            node,
          );
        }
        return undefined;
      }
      case 'unsupportedGateway':
        this.#issues.error(`„${idOf(node)}“: ${node.$type} wird nicht unterstützt (nur exklusive Gateways)`, node);
        return undefined;
      case 'unsupported': {
        const onPath =
          (this.#incoming.get(node) ?? []).length > 0 ||
          (this.#outgoing.get(node) ?? []).length > 0 ||
          (this.#boundaries.get(node) ?? []).length > 0;
        if (onPath) {
          this.#issues.error(
            `„${idOf(node)}“ (${node.$type}) wird nicht unterstützt; das Modell ist so nicht ausführbar`,
            node,
          );
        } else {
          this.#issues.warn(`„${idOf(node)}“ (${node.$type}) wird nicht unterstützt und ignoriert`, node);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  #mapTask(node: ModdleNode): TaskInput {
    const id = idOf(node);
    if (node.$type !== 'bpmn:UserTask') {
      this.#issues.warn(`„${id}“ (${node.$type}) wird als Aufgabe für die Sachbearbeitung übernommen`, node);
    }
    const common = this.#common(node);
    const task: TaskInput = {
      kind: 'task',
      ...common,
      title: common.title ?? id,
      group: this.#taskGroup(node),
      transitions: [],
    };
    const form = this.#elementForm(node, 'task');
    if (form) task.form = form;
    const due = this.#jsonProperty(node, PROPERTY.due, delaySchema);
    if (due) task.due = due;
    const flows = this.#outgoing.get(node) ?? [];
    const gateway = flows.length === 1 ? child(flows[0], 'targetRef') : undefined;
    const outcomeFlows = gateway ? this.#outcomeFlows.get(gateway) : undefined;
    if (outcomeFlows) {
      const outcomes: { id: string; label: string }[] = [];
      for (const { flow, outcome, guard } of outcomeFlows) {
        if (!outcomes.some((known) => known.id === outcome)) {
          outcomes.push({ id: outcome, label: (str(flow, 'name')?.trim() || outcome).slice(0, 100) });
        }
        const target = this.#targetState(flow);
        if (target) task.transitions?.push(transition({ on: outcome, target, guard }));
      }
      task.outcomes = outcomes;
    } else {
      task.transitions?.push(...this.#transitions(node, 'done'));
    }
    for (const boundary of this.#boundaries.get(node) ?? []) {
      const definition = onlyDefinition(boundary);
      if (definition?.$type !== 'bpmn:TimerEventDefinition') {
        this.#ignoreBoundary(boundary, node);
        continue;
      }
      const timeout = this.#boundaryTimer(boundary, definition, task.timeout !== undefined);
      if (!timeout) continue;
      task.timeout = timeout;
      task.transitions?.push(...this.#transitions(boundary, 'timeout', true));
    }
    return task;
  }

  #taskGroup(node: ModdleNode): string {
    const id = idOf(node);
    const sources: { text: string | undefined; label: string; feel: boolean }[] = [
      { text: str(node, 'candidateGroups'), label: 'camunda:candidateGroups', feel: false },
      {
        text: str(extensions(node, 'zeebe:AssignmentDefinition')[0], 'candidateGroups'),
        label: 'zeebe:assignmentDefinition',
        feel: true,
      },
      ...children(node, 'resources')
        .filter((resource) => resource.$type === 'bpmn:PotentialOwner')
        .map((resource) => ({
          text: str(child(child(resource, 'resourceAssignmentExpression'), 'expression'), 'body'),
          label: 'potentialOwner',
          feel: false,
        })),
    ];
    let groups: string[] = [];
    for (const source of sources) {
      if (source.text === undefined || source.text.trim() === '') continue;
      const parsed = parseGroups(source.text, source.feel);
      if (!parsed) {
        this.#issues.warn(`„${id}“: Gruppenausdruck „${source.text}“ (${source.label}) ist nicht auswertbar`, node);
        continue;
      }
      groups = parsed;
      if (groups.length > 0) break;
    }
    const zeebeAssignment = extensions(node, 'zeebe:AssignmentDefinition')[0];
    if (
      str(node, 'assignee') ||
      str(node, 'candidateUsers') ||
      str(zeebeAssignment, 'assignee') ||
      str(zeebeAssignment, 'candidateUsers')
    ) {
      this.#issues.warn(`„${id}“: Feste Bearbeiter:innen (assignee, candidateUsers) werden nicht übernommen`, node);
    }
    const lane = this.#lanes.get(node);
    if (groups.length === 0 && lane) {
      const group = slugify(lane) || lane;
      this.#issues.warn(`„${id}“: Keine Gruppe angegeben; übernommen wird „${group}“ aus der Lane „${lane}“`, node);
      groups = [group];
    }
    const [first, ...more] = groups;
    if (first === undefined) {
      this.#issues.warn(`„${id}“: Keine Gruppe angegeben; die Aufgabe wird der Gruppe „unassigned“ zugewiesen`, node);
      return 'unassigned';
    }
    if (more.length > 0) {
      this.#issues.warn(`„${id}“: Mehrere Gruppen (${groups.join(', ')}); übernommen wird nur „${first}“`, node);
    }
    return this.#clip(first, 100, 'Gruppe', node);
  }

  #mapService(node: ModdleNode): ServiceInput {
    const common = this.#common(node);
    const service: ServiceInput = { kind: 'service', ...common, ...this.#serviceBinding(node), transitions: [] };
    const { input, result } = this.#serviceMappings(node);
    if (Object.keys(input).length > 0) service.input = input;
    if (Object.keys(result).length > 0) service.result = result;
    const retry = this.#jsonProperty(node, PROPERTY.retry, retryPolicySchema);
    if (retry) service.retry = retry;
    service.transitions?.push(...this.#transitions(node, 'done'));
    for (const boundary of this.#boundaries.get(node) ?? []) {
      if (onlyDefinition(boundary)?.$type === 'bpmn:ErrorEventDefinition') {
        service.transitions?.push(...this.#transitions(boundary, 'failed', true));
      } else {
        this.#ignoreBoundary(boundary, node);
      }
    }
    return service;
  }

  #serviceBinding(node: ModdleNode): { connector: string; operation: string } {
    const id = idOf(node);
    const unbound = { connector: '', operation: '' };
    let topic: string | undefined;
    if (this.#dialect === 'camunda') {
      const implementation = ['class', 'expression', 'delegateExpression'].find((key) => str(node, key));
      if (str(node, 'type') === 'external') topic = str(node, 'topic');
      else if (implementation) {
        this.#issues.warn(
          `„${id}“: Implementierung camunda:${implementation} wird nicht übernommen; Anbindung nicht zugeordnet`,
          node,
        );
        return unbound;
      }
    } else if (this.#dialect === 'zeebe') {
      topic = str(extensions(node, 'zeebe:TaskDefinition')[0], 'type');
    }
    topic = topic?.trim();
    if (!topic) {
      this.#issues.warn(`„${id}“: Keine Anbindung (Topic/Task-Typ) angegeben; Anbindung nicht zugeordnet`, node);
      return unbound;
    }
    const separator = topic.indexOf(':');
    const connector = separator < 0 ? topic : topic.slice(0, separator);
    const operation = separator < 0 ? '' : topic.slice(separator + 1);
    if (!connector.includes('@')) {
      this.#issues.warn(
        `„${id}“: Anbindung „${topic}“ nicht zugeordnet (erwartet wird eine versionierte Anbindungs-ID wie „payment@1:create“)`,
        node,
      );
      return unbound;
    }
    if (this.#options.knownConnectors && !this.#options.knownConnectors.includes(connector)) {
      this.#issues.warn(`„${id}“: Anbindung „${connector}“ ist unbekannt und wird nicht zugeordnet`, node);
      return unbound;
    }
    return { connector, operation };
  }

  #serviceMappings(node: ModdleNode): { input: Record<string, string>; result: Record<string, string> } {
    const input: Record<string, string> = {};
    const result: Record<string, string> = {};
    const add = (target: Record<string, string>, name: string | undefined, value: string | undefined, what: string) => {
      if (!name) return;
      const converted = mappingToFeel(value ?? '');
      if (converted.ok) target[name] = converted.feel;
      else this.#issues.error(`„${idOf(node)}“: ${what} „${name}“ nicht übertragbar: ${converted.reason}`, node);
    };
    for (const io of extensions(node, 'camunda:InputOutput')) {
      for (const [list, target, what] of [
        [children(io, 'inputParameters'), input, 'Eingabeparameter'],
        [children(io, 'outputParameters'), result, 'Ausgabeparameter'],
      ] as const) {
        for (const parameter of list) {
          if (child(parameter, 'definition')) {
            this.#issues.error(
              `„${idOf(node)}“: ${what} „${str(parameter, 'name') ?? ''}“ (Liste, Map oder Skript) nicht übertragbar`,
              node,
            );
            continue;
          }
          add(target, str(parameter, 'name'), str(parameter, 'value'), what);
        }
      }
    }
    for (const io of extensions(node, 'zeebe:IoMapping')) {
      for (const parameter of children(io, 'inputParameters')) {
        add(input, str(parameter, 'target'), str(parameter, 'source'), 'Eingabeparameter');
      }
      for (const parameter of children(io, 'outputParameters')) {
        add(result, str(parameter, 'target'), str(parameter, 'source'), 'Ausgabeparameter');
      }
    }
    return { input, result };
  }

  #mapWait(node: ModdleNode): WaitInput {
    const wait: WaitInput = { kind: 'wait', ...this.#common(node), transitions: [] };
    const message = this.#messageName(node.$type === 'bpmn:ReceiveTask' ? node : onlyDefinition(node), node);
    if (message) wait.transitions?.push(...this.#transitions(node, message));
    for (const boundary of this.#boundaries.get(node) ?? []) {
      const definition = onlyDefinition(boundary);
      if (definition?.$type === 'bpmn:TimerEventDefinition') {
        const timeout = this.#boundaryTimer(boundary, definition, wait.timeout !== undefined);
        if (!timeout) continue;
        wait.timeout = timeout;
        wait.transitions?.push(...this.#transitions(boundary, 'timeout', true));
      } else if (definition?.$type === 'bpmn:MessageEventDefinition') {
        if (bool(boundary, 'cancelActivity') === false) {
          this.#issues.warn(
            `„${idOf(boundary)}“: Nicht unterbrechendes Nachrichtenereignis wird als unterbrechend übernommen`,
            boundary,
          );
        }
        const other = this.#messageName(definition, boundary);
        if (other) wait.transitions?.push(...this.#transitions(boundary, other, true));
      } else {
        this.#ignoreBoundary(boundary, node);
      }
    }
    return wait;
  }

  #messageName(holder: ModdleNode | undefined, node: ModdleNode): string | undefined {
    const message = child(holder, 'messageRef');
    const name = (str(message, 'name') ?? str(message, 'id'))?.trim();
    if (!name) {
      this.#issues.error(`„${idOf(node)}“: Nachrichtenereignis ohne Nachricht (messageRef)`, node);
      return undefined;
    }
    return name;
  }

  #mapTimer(node: ModdleNode): TimerInput | undefined {
    const definition = onlyDefinition(node);
    const delay = definition ? this.#delay(definition, node) : undefined;
    if (!delay) return undefined;
    return { kind: 'timer', ...this.#common(node), delay, transitions: this.#transitions(node, 'timeout') };
  }

  #boundaryTimer(boundary: ModdleNode, definition: ModdleNode, alreadyHasTimeout: boolean): Delay | undefined {
    if (alreadyHasTimeout) {
      this.#issues.error(
        `„${idOf(boundary)}“: Mehrere Timer-Randereignisse an „${idOf(child(boundary, 'attachedToRef'))}“ werden nicht unterstützt`,
        boundary,
      );
      return undefined;
    }
    if (bool(boundary, 'cancelActivity') === false) {
      this.#issues.warn(
        `„${idOf(boundary)}“: Nicht unterbrechender Timer wird als unterbrechend übernommen (die Aufgabe endet bei Fristablauf)`,
        boundary,
      );
    }
    return this.#delay(definition, boundary);
  }

  /** An ISO 8601 duration timer (`P7D`, Zeebe `=PT2H`), or working days from our export's extension property. */
  #delay(definition: ModdleNode, holder: ModdleNode): Delay | undefined {
    const id = idOf(holder);
    const workingDays = extensionProperties(holder).get(PROPERTY.workingDays);
    if (workingDays !== undefined) {
      const parsed = delaySchema.safeParse({ workingDays: Number(workingDays) });
      if (parsed.success) return parsed.data;
      this.#issues.warn(`„${id}“: Eigenschaft ${PROPERTY.workingDays}=„${workingDays}“ ist ungültig`, holder);
    }
    const date = str(child(definition, 'timeDate'), 'body')?.trim();
    if (date) {
      // `=expr` is FEEL over the case data (Camunda 8 style); a literal ISO instant becomes a FEEL string.
      const at = date.startsWith('=') ? date.slice(1).trim() : JSON.stringify(date);
      const parsed = delaySchema.safeParse({ at });
      if (parsed.success && !checkExpression(at)) return parsed.data;
      this.#issues.error(
        `„${id}“: Zeitpunkt „${date}“ ist weder ein FEEL-Ausdruck (=…) noch ein ISO-8601-Zeitpunkt`,
        holder,
      );
      return undefined;
    }
    if (child(definition, 'timeCycle')) {
      this.#issues.error(`„${id}“: Wiederkehrender Timer (timeCycle) wird nicht unterstützt, nur Dauern`, holder);
      return undefined;
    }
    const body = str(child(definition, 'timeDuration'), 'body')?.trim();
    if (!body) {
      this.#issues.error(`„${id}“: Timer ohne Dauer (timeDuration)`, holder);
      return undefined;
    }
    const duration = body.replace(/^=\s*/, '').replace(/^"(.*)"$/, '$1');
    const parsed = delaySchema.safeParse({ duration });
    if (parsed.success) return parsed.data;
    this.#issues.error(`„${id}“: Dauer „${body}“ ist keine ISO-8601-Dauer wie P7D oder PT2H`, holder);
    return undefined;
  }

  #mapDecision(node: ModdleNode): DecisionInput {
    const id = idOf(node);
    const flows = this.#outgoing.get(node) ?? [];
    const defaultFlow = child(node, 'default');
    if (defaultFlow && !flows.includes(defaultFlow)) {
      this.#issues.error(
        `Gateway „${id}“: Standardfluss „${idOf(defaultFlow)}“ geht nicht von diesem Gateway aus`,
        node,
      );
    }
    if (flows.length === 0) {
      this.#issues.error(`Gateway „${id}“ hat keinen ausgehenden Sequenzfluss; ein Vorgang bliebe hier stehen`, node);
    }
    const transitions: Transition[] = [];
    let fallback: Transition | undefined;
    for (const flow of flows) {
      const target = this.#targetState(flow);
      const condition = child(flow, 'conditionExpression');
      const label = str(flow, 'name')?.trim() || undefined;
      if (flow === defaultFlow) {
        if (condition) {
          this.#issues.warn(`Standardfluss „${idOf(flow)}“: Die Bedingung wird ignoriert`, flow);
        }
        if (target) fallback = transition({ target, label });
        continue;
      }
      if (!condition) {
        if (flows.length === 1) {
          if (target) transitions.push(transition({ target, label }));
        } else {
          this.#issues.error(
            `Sequenzfluss „${idOf(flow)}“ nach Gateway „${id}“ hat keine Bedingung und ist nicht der Standardfluss`,
            flow,
          );
        }
        continue;
      }
      const feel = conditionToFeel(str(condition, 'body'), str(condition, 'language'));
      if (!feel.ok) {
        this.#issues.error(`Sequenzfluss „${idOf(flow)}“: Bedingung nicht übertragbar: ${feel.reason}`, flow);
        continue;
      }
      if (target) transitions.push(transition({ target, guard: feel.feel, label }));
    }
    if (fallback) transitions.push(fallback);
    return { kind: 'decision', ...this.#common(node), transitions };
  }

  #mapFinal(node: ModdleNode): FinalInput {
    for (const definition of children(node, 'eventDefinitions')) {
      if (definition.$type === 'bpmn:TerminateEventDefinition') continue;
      this.#issues.warn(
        `„${idOf(node)}“: Endereignis-Typ ${definition.$type} wird als einfaches Ende übernommen`,
        node,
      );
    }
    const { title, status: propertyStatus, ...common } = this.#common(node);
    const properties = extensionProperties(node);
    const outcome = properties.get(PROPERTY.outcome)?.trim() || slugify(title ?? idOf(node)).slice(0, 100) || 'ende';
    if (propertyStatus !== undefined) return { kind: 'final', ...common, title, outcome, status: propertyStatus };
    return { kind: 'final', ...common, outcome, status: (title ?? 'Abgeschlossen').slice(0, 100) };
  }

  #common(node: ModdleNode): Common {
    const common: Common = {};
    const name = str(node, 'name')?.trim();
    if (name) common.title = this.#clip(name, 200, 'Name', node);
    const description = documentation(node);
    if (description) common.description = this.#clip(description, 2000, 'Beschreibung', node);
    const status = extensionProperties(node).get(PROPERTY.status)?.trim();
    if (status) common.status = this.#clip(status, 100, 'Status', node);
    const position = this.#positions.get(node);
    if (position) common.position = position;
    return common;
  }

  /**
   * The transitions of a non-gateway node: its single outgoing flow, taken on `on`. Several outgoing flows
   * would be an implicit parallel split, which the engine does not have.
   */
  #transitions(source: ModdleNode, on: string | undefined, mayBeEmpty = false): Transition[] {
    const id = idOf(source);
    const flows = this.#outgoing.get(source) ?? [];
    if (flows.length === 0) {
      if (!mayBeEmpty) {
        this.#issues.error(`„${id}“ hat keinen ausgehenden Sequenzfluss; ein Vorgang bliebe hier stehen`, source);
      }
      return [];
    }
    if (flows.length > 1) {
      this.#issues.error(
        `„${id}“ hat ${flows.length} ausgehende Sequenzflüsse ohne Gateway (parallele Verzweigung wird nicht unterstützt; bitte ein exklusives Gateway verwenden)`,
        source,
      );
      return [];
    }
    const [flow] = flows;
    if (!flow) return [];
    if (child(flow, 'conditionExpression')) {
      this.#issues.warn(`Sequenzfluss „${idOf(flow)}“: Bedingung wird ignoriert, weil „${id}“ kein Gateway ist`, flow);
    }
    const target = this.#targetState(flow);
    return target ? [transition({ on, target, label: str(flow, 'name')?.trim() || undefined })] : [];
  }

  #targetState(flow: ModdleNode): string | undefined {
    const target = child(flow, 'targetRef');
    if (!target) return undefined;
    const stateId = this.#stateIds.get(target);
    if (stateId) return stateId;
    const role = this.#roles.get(target);
    if (role === 'start' || role === 'boundary') {
      this.#issues.error(
        `Sequenzfluss „${idOf(flow)}“ führt zu „${idOf(target)}“ (${target.$type}), das kein Ziel sein kann`,
        flow,
      );
    }
    return undefined;
  }

  #ignoreBoundary(boundary: ModdleNode, host: ModdleNode): void {
    const type = onlyDefinition(boundary)?.$type ?? 'ohne Typ';
    this.#issues.warn(
      `Randereignis „${idOf(boundary)}“ (${type}) an „${idOf(host)}“ wird ignoriert; es ist hier nicht abbildbar`,
      boundary,
    );
  }

  /** camunda:formData (or the complete JSON Schema our export stores when formData cannot express the form). */
  #elementForm(node: ModdleNode, role: 'start' | 'task'): Form | undefined {
    const stored = this.#jsonProperty(node, PROPERTY.form, formSchema);
    if (stored) return stored;
    const formKey = str(node, 'formKey');
    if (formKey) {
      this.#issues.warn(`„${idOf(node)}“: Formularverweis camunda:formKey „${formKey}“ wird nicht übernommen`, node);
    }
    const formData = extensions(node, 'camunda:FormData')[0];
    if (formData) return formFromFormData(formData, node, this.#issues);
    return role === 'start' ? EMPTY_FORM : undefined;
  }

  #jsonProperty<T>(node: ModdleNode, property: string, schema: z.ZodType<T>): T | undefined {
    const text = extensionProperties(node).get(property);
    if (text === undefined) return undefined;
    const parsed = parseJson(text, schema);
    if (parsed === undefined) {
      this.#issues.warn(`„${idOf(node)}“: Eigenschaft „${property}“ ist ungültig und wird ignoriert`, node);
    }
    return parsed;
  }

  #reportUnreadExtensions(node: ModdleNode, role: Role | undefined): void {
    const read = new Set([...(role ? (READ_EXTENSIONS[role] ?? []) : []), ...PROPERTY_CONTAINERS]);
    for (const extension of extensions(node)) {
      if (read.has(extension.$type)) continue;
      this.#issues.warn(`„${idOf(node)}“: Erweiterung ${extension.$type} wird nicht übernommen`, node);
    }
  }

  #clip(text: string, max: number, what: string, node: ModdleNode): string {
    if (text.length <= max) return text;
    this.#issues.warn(`„${idOf(node)}“: ${what} ist länger als ${max} Zeichen und wird gekürzt`, node);
    return text.slice(0, max);
  }
}

/** A JSON text checked against a schema; undefined when it is no JSON or does not fit. */
function parseJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function onlyDefinition(node: ModdleNode | undefined): ModdleNode | undefined {
  const definitions = children(node, 'eventDefinitions');
  return definitions.length === 1 ? definitions[0] : undefined;
}

function transition(parts: { on?: string; target: string; guard?: string; label?: string }): Transition {
  const result: Transition = { target: parts.target };
  if (parts.on !== undefined) result.on = parts.on;
  if (parts.guard !== undefined) result.guard = parts.guard;
  if (parts.label !== undefined) result.label = parts.label.slice(0, 200);
  return result;
}

/**
 * Group names from `a, b` or, for Zeebe, a FEEL list of string literals (`=["a","b"]`) or one literal (`="a"`).
 * Undefined for anything computed at run time (`${…}`, `=someVariable`).
 */
function parseGroups(text: string, feelAllowed: boolean): string[] | undefined {
  const trimmed = text.trim();
  if (feelAllowed && trimmed.startsWith('=')) {
    const feel = trimmed.slice(1).trim();
    const list = /^\[([\s\S]*)\]$/.exec(feel);
    const items = list ? (list[1] ?? '').split(',').map((item) => item.trim()) : [feel];
    const names: string[] = [];
    for (const item of items) {
      const literal = /^"([^"\\]*)"$/.exec(item);
      if (!literal) return undefined;
      if (literal[1]) names.push(literal[1].trim());
    }
    return names;
  }
  if (/[$#]\{|^=/.test(trimmed)) return undefined;
  return trimmed
    .split(',')
    .map((item) => /^group\((.*)\)$/.exec(item.trim())?.[1]?.trim() ?? item.trim())
    .filter((item) => item.length > 0 && !/^user\(/.test(item));
}

/** True when the text is one parenthesised expression: `(a) or (b)` is not, `(a or b)` is. */
function isWrappedInParentheses(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '(') depth++;
    else if (char === ')') {
      depth--;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return depth === 0;
}

/** Top-left corner of every element's shape in the BPMNDI (the designer keeps it as the state position). */
function shapePositions(definitions: ModdleNode): Map<ModdleNode, { x: number; y: number }> {
  const positions = new Map<ModdleNode, { x: number; y: number }>();
  for (const diagram of children(definitions, 'diagrams')) {
    for (const element of children(child(diagram, 'plane'), 'planeElement')) {
      if (element.$type !== 'bpmndi:BPMNShape') continue;
      const target = child(element, 'bpmnElement');
      const bounds = child(element, 'bounds');
      const x = bounds?.x;
      const y = bounds?.y;
      if (target && typeof x === 'number' && typeof y === 'number') positions.set(target, { x, y });
    }
  }
  return positions;
}
