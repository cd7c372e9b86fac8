import type { BpmnIssue } from './bpmn-issue.ts';

/** Largest BPMN document the importer reads: 2 MiB (a large real model is a few hundred KiB). */
export const MAX_BPMN_BYTES = 2 * 1024 * 1024;
/** Most XML elements the importer reads; counted cheaply before parsing. */
export const MAX_BPMN_ELEMENTS = 5000;

/**
 * Checks an untrusted document before any XML parser sees it: no DOCTYPE or entity declarations (XXE, billion
 * laughs), bounded size and element count. Returns every problem found; empty means it may be parsed.
 */
export function checkUntrustedXml(xml: string): BpmnIssue[] {
  const issues: BpmnIssue[] = [];
  const bytes = xml.length > MAX_BPMN_BYTES ? xml.length : new TextEncoder().encode(xml).byteLength;
  if (bytes > MAX_BPMN_BYTES) {
    issues.push({
      message: `Die Datei ist zu groß (mindestens ${bytes} Bytes); erlaubt sind höchstens ${MAX_BPMN_BYTES} Bytes (2 MiB).`,
    });
  }
  if (/<!DOCTYPE/i.test(xml)) {
    issues.push({ message: 'DOCTYPE-Deklarationen sind aus Sicherheitsgründen nicht erlaubt.' });
  }
  if (/<!ENTITY/i.test(xml)) {
    issues.push({ message: 'ENTITY-Deklarationen sind aus Sicherheitsgründen nicht erlaubt.' });
  }
  const tag = /<[A-Za-z_]/g;
  let elements = 0;
  while (tag.exec(xml) !== null) {
    elements++;
    if (elements > MAX_BPMN_ELEMENTS) {
      issues.push({ message: `Die Datei enthält mehr als ${MAX_BPMN_ELEMENTS} XML-Elemente.` });
      break;
    }
  }
  return issues;
}
