/** Edits of a record whose key order is its display order (result mappings, constants); each returns a new record. */

export function setEntry<T>(entries: Record<string, T>, name: string, value: T): Record<string, T> {
  return { ...entries, [name]: value };
}

export function withoutEntry<T>(entries: Record<string, T>, name: string): Record<string, T> {
  const { [name]: _, ...rest } = entries;
  return rest;
}

/** Renames in place (the entry keeps its position); an empty or taken name leaves the record as it is. */
export function renameEntry<T>(entries: Record<string, T>, from: string, to: string): Record<string, T> {
  if (!to || to === from || to in entries || !(from in entries)) return entries;
  return Object.fromEntries(Object.entries(entries).map(([name, value]) => [name === from ? to : name, value]));
}

/** A constant as the designer shows it: text as it is (unless it reads as JSON of another type), else JSON. */
export function constantToText(value: unknown): string {
  if (typeof value === 'string' && textToConstant(value) === value) return value;
  return JSON.stringify(value, null, value !== null && typeof value === 'object' ? 2 : undefined);
}

/** A typed constant: JSON when the text is JSON (number, list, `true`, "quoted"), else the text itself. */
export function textToConstant(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
