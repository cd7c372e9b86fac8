import { type DefinitionInput, definitionSchema } from '../definition/definition.schema.ts';
import { type BpmnIssue, IssueCollector } from './bpmn-issue.ts';
import {
  bool,
  child,
  children,
  createModdle,
  detectDialect,
  idOf,
  isNode,
  type ModdleNode,
  str,
} from './moddle-node.ts';
import { ProcessMapper, type ProcessMapperOptions } from './process-mapper.ts';
import { checkUntrustedXml } from './xml-guard.ts';

export type { BpmnIssue } from './bpmn-issue.ts';

/** Outcome of a BPMN import: a valid definition plus what was lost on the way, or every reason it cannot run. */
export type BpmnImportResult =
  | { ok: true; definition: DefinitionInput; warnings: BpmnIssue[] }
  | { ok: false; errors: BpmnIssue[]; warnings: BpmnIssue[] };

/**
 * Options of importBpmn. `key` overrides the key derived from the process; `knownConnectors` lists the connector
 * ids (`payment@1`) installed here: service tasks naming another connector are imported unbound, with a warning.
 */
export type BpmnImportOptions = ProcessMapperOptions;

/**
 * Imports a BPMN 2.0 model (plain, Camunda 7 or Camunda 8) as a procedure definition. The document is untrusted:
 * DOCTYPE/ENTITY declarations, more than 2 MiB or more than 5,000 elements are refused before parsing.
 * Expected failures are values: a model that cannot run yields `ok: false` with every reason found, never a
 * throw. Supported: one start event (its form), user/manual tasks (group, form, outcomes, timer boundary),
 * service/send tasks (connector, mappings, error boundary = `failed`), receive tasks and message/timer catch
 * events, exclusive gateways (FEEL or one-to-one JUEL conditions), end events.
 */
export async function importBpmn(xml: string, options: BpmnImportOptions = {}): Promise<BpmnImportResult> {
  const refused = checkUntrustedXml(xml);
  if (refused.length > 0) return { ok: false, errors: refused, warnings: [] };

  const issues = new IssueCollector();
  const { dialect, both } = detectDialect(xml);
  if (both) {
    issues.warn(
      `Die Datei deklariert Camunda-7- und Camunda-8-Erweiterungen; gelesen werden nur die ${dialect === 'zeebe' ? 'Camunda-8-(zeebe)' : 'Camunda-7-(camunda)'}-Erweiterungen`,
    );
  }
  let parsed: Awaited<ReturnType<ReturnType<typeof createModdle>['fromXML']>>;
  try {
    parsed = await createModdle(dialect).fromXML(xml);
  } catch (error) {
    issues.error(`Die Datei ist kein lesbares BPMN-2.0-XML: ${error instanceof Error ? error.message : String(error)}`);
    return failure(issues);
  }
  const reportedFlows = reportParserWarnings(parsed.warnings, issues);
  const definitions = parsed.rootElement;
  if (!isNode(definitions) || definitions.$type !== 'bpmn:Definitions') {
    issues.error('Die Datei enthält kein BPMN-2.0-Wurzelelement (bpmn:definitions)');
    return failure(issues);
  }
  const selected = selectProcess(definitions, issues);
  if (!selected) return failure(issues);

  const mapper = new ProcessMapper({
    process: selected.process,
    definitions,
    issues,
    dialect,
    options,
    fallbackTitle: selected.participantName,
    reportedFlows,
  });
  const candidate = mapper.map();
  if (!candidate && issues.errors.length === 0) issues.error('Aus dem Modell lässt sich kein Verfahren bilden');
  if (!candidate || issues.errors.length > 0) return failure(issues);

  const result = definitionSchema.safeParse(candidate);
  if (!result.success) {
    for (const problem of result.error.issues) {
      const path = problem.path.map(String).join('.');
      const node = problem.path[0] === 'states' ? mapper.nodeOfState(String(problem.path[1])) : selected.process;
      issues.error(`Ungültige Definition bei „${path}“: ${problem.message}`, node);
    }
    return failure(issues);
  }
  return { ok: true, definition: result.data, warnings: issues.warnings };
}

function failure(issues: IssueCollector): BpmnImportResult {
  return { ok: false, errors: issues.errors, warnings: issues.warnings };
}

const FLOW_ENDS: Record<string, string> = { 'bpmn:sourceRef': 'die Quelle', 'bpmn:targetRef': 'das Ziel' };
const UNPARSABLE = /^unparsable content (.*?) ?detected\n\tline: (\d+)\n\tcolumn: (\d+)\n\tnested error: ([\s\S]*)$/;

/**
 * Turns moddle's lax-mode warnings into issues. Dangling references and unreadable content are errors (lax mode
 * drops the element and goes on, so the model would silently lose a part); unknown plain attributes and an
 * unusual encoding declaration are harmless warnings. Returns the elements with a dangling reference.
 */
function reportParserWarnings(warnings: unknown[], issues: IssueCollector): Set<ModdleNode> {
  const dangling = new Set<ModdleNode>();
  for (const warning of warnings) {
    const fields = typeof warning === 'object' && warning !== null ? warning : {};
    const message = 'message' in fields && typeof fields.message === 'string' ? fields.message : String(warning);
    const element = 'element' in fields && isNode(fields.element) ? fields.element : undefined;
    const property = 'property' in fields && typeof fields.property === 'string' ? fields.property : '';
    const unresolved = /^unresolved reference <(.*)>$/.exec(message);
    if (unresolved) {
      if (element) dangling.add(element);
      const role = FLOW_ENDS[property];
      issues.error(
        element?.$type === 'bpmn:SequenceFlow' && role
          ? `Sequenzfluss „${idOf(element)}“ verweist auf ${role} „${unresolved[1]}“, das es nicht gibt`
          : `„${idOf(element)}“ verweist über ${property.replace(/^\w+:/, '')} auf „${unresolved[1]}“, das es nicht gibt`,
        element,
      );
      continue;
    }
    const unknownAttribute = /^unknown attribute <(.*)>$/.exec(message);
    if (unknownAttribute) {
      issues.warn(`Unbekanntes Attribut „${unknownAttribute[1]}“ an „${idOf(element)}“ wird ignoriert`, element);
      continue;
    }
    if (message.startsWith('unsupported document encoding')) {
      issues.warn('Die Datei ist nicht als UTF-8 deklariert; sie wird als UTF-8 gelesen');
      continue;
    }
    const unparsable = UNPARSABLE.exec(message);
    issues.error(
      unparsable
        ? `Nicht lesbarer Inhalt ${unparsable[1]} (Zeile ${unparsable[2]}, Spalte ${unparsable[3]}): ${unparsable[4]}`
        : `Die Datei konnte nicht vollständig gelesen werden: ${message}`,
      element,
    );
  }
  return dangling;
}

/**
 * The process to import: in a collaboration the (executable) participant's process; otherwise the first
 * executable process, or the only process.
 */
function selectProcess(
  definitions: ModdleNode,
  issues: IssueCollector,
): { process: ModdleNode; participantName?: string } | undefined {
  const rootElements = children(definitions, 'rootElements');
  const processes = rootElements.filter((element) => element.$type === 'bpmn:Process');
  const participants = rootElements
    .filter((element) => element.$type === 'bpmn:Collaboration')
    .flatMap((collaboration) => children(collaboration, 'participants'))
    .filter((participant) => child(participant, 'processRef'));
  if (participants.length > 0) {
    const participant =
      participants.find((candidate) => bool(child(candidate, 'processRef'), 'isExecutable') === true) ??
      participants.find((candidate) => children(child(candidate, 'processRef'), 'flowElements').length > 0) ??
      participants[0];
    const process = child(participant, 'processRef');
    if (participant && process) {
      const participantName = str(participant, 'name')?.trim() || undefined;
      issues.warn(
        `Kollaborationsdiagramm: importiert wird nur der Prozess „${idOf(process)}“ des Teilnehmers „${participantName ?? idOf(participant)}“; weitere Teilnehmer und Nachrichtenflüsse werden ignoriert`,
        participant,
      );
      return participantName ? { process, participantName } : { process };
    }
  }
  const executable = processes.filter((process) => bool(process, 'isExecutable') === true);
  const [first] = executable;
  if (first) {
    if (processes.length > 1) {
      issues.warn(
        `Die Datei enthält ${processes.length} Prozesse; importiert wird der ausführbare Prozess „${idOf(first)}“`,
        first,
      );
    }
    return { process: first };
  }
  const [only] = processes;
  if (only && processes.length === 1) return { process: only };
  issues.error(
    processes.length === 0
      ? 'Die Datei enthält keinen Prozess'
      : `Die Datei enthält ${processes.length} Prozesse, aber keiner ist als ausführbar (isExecutable) markiert`,
  );
  return undefined;
}
