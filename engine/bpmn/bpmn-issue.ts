import type { ModdleNode } from './moddle-node.ts';

/** One finding of the BPMN import, in German, pointing at the BPMN element it is about when there is one. */
export type BpmnIssue = { elementId?: string; elementType?: string; message: string };

/**
 * Collects errors (the model cannot run) and warnings (imported with a loss) so the importer can report every
 * reason at once instead of stopping at the first.
 */
export class IssueCollector {
  readonly errors: BpmnIssue[] = [];
  readonly warnings: BpmnIssue[] = [];
  readonly #seen = new Set<string>();

  error(message: string, node?: ModdleNode): void {
    this.#add(this.errors, message, node);
  }

  warn(message: string, node?: ModdleNode): void {
    this.#add(this.warnings, message, node);
  }

  #add(list: BpmnIssue[], message: string, node: ModdleNode | undefined): void {
    const elementId = typeof node?.id === 'string' ? node.id : undefined;
    const key = `${list === this.errors ? 'E' : 'W'}|${elementId ?? ''}|${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const issue: BpmnIssue = { message };
    if (elementId !== undefined) issue.elementId = elementId;
    if (node) issue.elementType = node.$type;
    list.push(issue);
  }
}
