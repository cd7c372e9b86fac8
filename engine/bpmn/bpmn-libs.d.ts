/**
 * Minimal typings for the untyped bpmn-io packages we use on the server. Everything the parser hands back is
 * `unknown` on purpose: the importer parses it (moddle-node.ts) instead of trusting a declared shape.
 */
declare module 'bpmn-moddle' {
  /** A model element as bpmn-moddle builds it for export; `$type` is the qualified type (`bpmn:UserTask`). */
  export type CreatedElement = { $type: string; [key: string]: unknown };

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string): Promise<{ rootElement?: unknown; warnings: unknown[]; elementsById?: unknown }>;
    toXML(element: CreatedElement, options?: { format?: boolean }): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): CreatedElement;
  }
}

declare module 'bpmn-auto-layout' {
  /** Lays out the first process of a BPMN document and returns the document with fresh BPMNDI. */
  export function layoutProcess(xml: string): Promise<string>;
}
