import { BpmnModdle } from 'bpmn-moddle';
import camundaDescriptor from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/**
 * A node of the tree bpmn-moddle builds. Only `$type` is known; every other property is read through the
 * helpers below, which check the runtime type, so a malformed file cannot smuggle in a wrong shape.
 */
export type ModdleNode = { $type: string; [key: string]: unknown };

const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';
const ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0';

/** Which vendor extension a file uses; decides the moddle descriptors it is read with. */
export type Dialect = 'camunda' | 'zeebe' | 'plain';

/**
 * The moddle instance for one dialect. Camunda 7 and Zeebe descriptors must never share an instance: both define
 * `modelerTemplate`, and moddle then silently drops the whole process (reported only as a warning).
 */
export function createModdle(dialect: Dialect): BpmnModdle {
  const cached = instances.get(dialect);
  if (cached) return cached;
  const packages: Record<Dialect, Record<string, unknown>> = {
    camunda: { camunda: camundaDescriptor },
    zeebe: { zeebe: zeebeDescriptor },
    plain: {},
  };
  const moddle = new BpmnModdle(packages[dialect]);
  instances.set(dialect, moddle);
  return moddle;
}

/** Building the type registry costs a few milliseconds; an instance holds no per-document state, so reuse it. */
const instances = new Map<Dialect, BpmnModdle>();

/** Picks the dialect from the namespaces the document declares; when both are declared, the more used one wins. */
export function detectDialect(xml: string): { dialect: Dialect; both: boolean } {
  const prefixes: Record<'camunda' | 'zeebe', string[]> = { camunda: [], zeebe: [] };
  for (const match of xml.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g)) {
    const [, prefix = '', uri] = match;
    if (uri === CAMUNDA_NS) prefixes.camunda.push(prefix);
    if (uri === ZEEBE_NS) prefixes.zeebe.push(prefix);
  }
  const hasCamunda = prefixes.camunda.length > 0;
  const hasZeebe = prefixes.zeebe.length > 0;
  if (hasCamunda && hasZeebe) {
    const uses = (list: string[]) =>
      list.reduce(
        (sum, prefix) => sum + (xml.match(new RegExp(`[<\\s]${escapeRegExp(prefix)}:`, 'g'))?.length ?? 0),
        0,
      );
    return { dialect: uses(prefixes.zeebe) > uses(prefixes.camunda) ? 'zeebe' : 'camunda', both: true };
  }
  return { dialect: hasCamunda ? 'camunda' : hasZeebe ? 'zeebe' : 'plain', both: false };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function isNode(value: unknown): value is ModdleNode {
  return typeof value === 'object' && value !== null && '$type' in value && typeof value.$type === 'string';
}

/** A string property, or undefined when absent or of another type. */
export function str(node: ModdleNode | undefined, key: string): string | undefined {
  const value = node?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function bool(node: ModdleNode | undefined, key: string): boolean | undefined {
  const value = node?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function child(node: ModdleNode | undefined, key: string): ModdleNode | undefined {
  const value = node?.[key];
  return isNode(value) ? value : undefined;
}

export function children(node: ModdleNode | undefined, key: string): ModdleNode[] {
  const value = node?.[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

export function idOf(node: ModdleNode | undefined): string {
  return str(node, 'id') ?? '';
}

/** The extension elements of a node (`<bpmn:extensionElements>` children), optionally of one type. */
export function extensions(node: ModdleNode, type?: string): ModdleNode[] {
  const all = children(child(node, 'extensionElements'), 'values');
  return type ? all.filter((value) => value.$type === type) : all;
}

/** `camunda:properties` / `zeebe:properties` of a node as name → value (first occurrence wins). */
export function extensionProperties(node: ModdleNode): Map<string, string> {
  const result = new Map<string, string>();
  for (const container of extensions(node)) {
    const entries =
      container.$type === 'camunda:Properties'
        ? children(container, 'values')
        : container.$type === 'zeebe:Properties'
          ? children(container, 'properties')
          : [];
    for (const entry of entries) {
      const name = str(entry, 'name');
      const value = str(entry, 'value');
      if (name !== undefined && value !== undefined && !result.has(name)) result.set(name, value);
    }
  }
  return result;
}

/** The text of all `<bpmn:documentation>` children, joined by blank lines; undefined when there is none. */
export function documentation(node: ModdleNode): string | undefined {
  const texts = children(node, 'documentation')
    .map((doc) => str(doc, 'text')?.trim() ?? '')
    .filter((text) => text.length > 0);
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}
