/**
 * Which part of a case's variables feelin needs for one expression. feelin deep-copies its whole context and
 * lets the context's names steer the parser (names may contain spaces and `+-/*.'`, and a variable called `and`
 * or `true` turns that word into a name), so a smaller context is cheaper, but it must give the same parse and
 * the same value:
 *
 * - A key of letters, digits and `_` (a "plain" key) can only matter where the expression's text contains it: the
 *   tokenizer matches context names against the identifiers of the text, and a plain key matches exactly one
 *   identifier, itself. Plain keys that are not a substring of the expression are left out.
 * - Any other key (spaces, symbols, `__proto__`) may match a run of several tokens: then feelin gets the whole
 *   context, as before.
 *
 * The compiled core (see feel-compile.ts) is built from the parse without any context. That parse is the real
 * one while no name the expression reads is a FEEL keyword (`and`, `true`, `for`, …) and — for path expressions —
 * no key inside the values read is one or is not plain; otherwise feelin evaluates the expression.
 */

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words lezer-feel specialises from identifiers (its `spec_identifier` table). */
const RESERVED = new Set([
  'for',
  'in',
  'return',
  'if',
  'then',
  'else',
  'some',
  'every',
  'satisfies',
  'or',
  'and',
  'between',
  'instance',
  'of',
  'days',
  'time',
  'duration',
  'years',
  'months',
  'date',
  'list',
  'context',
  'function',
  'null',
  'true',
  'false',
  'external',
  'not',
]);

const plainKey = (key: string) => key !== '__proto__' && PLAIN.test(key);

/** True when every key inside `value` (nested objects and list items) is plain and no keyword. */
function plainKeysWithin(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(plainKeysWithin);
  if (Object.getPrototypeOf(value) !== Object.prototype) return true;
  for (const [key, item] of Object.entries(value)) {
    if (!plainKey(key) || RESERVED.has(key) || !plainKeysWithin(item)) return false;
  }
  return true;
}

/** The context to hand feelin, and whether the compiled form of the expression may be used on this context. */
export function contextFor(
  expression: string,
  context: Record<string, unknown>,
  wantCompiled: boolean,
): { context: Record<string, unknown>; compiled: boolean } {
  if (Object.getPrototypeOf(context) !== Object.prototype) return { context, compiled: false };
  const keys = Object.keys(context);
  const kept: string[] = [];
  let compiled = wantCompiled;
  for (const key of keys) {
    if (!plainKey(key)) return { context, compiled: false };
    if (!expression.includes(key)) continue;
    kept.push(key);
    if (RESERVED.has(key)) compiled = false;
  }
  if (compiled && expression.includes('.')) {
    for (const key of kept) {
      if (!plainKeysWithin(context[key])) {
        compiled = false;
        break;
      }
    }
  }
  if (kept.length === keys.length) return { context, compiled };
  const reduced: Record<string, unknown> = {};
  for (const key of kept) reduced[key] = context[key];
  return { context: reduced, compiled };
}
