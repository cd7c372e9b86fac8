import type { SyntaxNode, Tree } from '@lezer/common';
import { evaluate } from 'feelin';

/**
 * A compiled evaluator for the plain core of FEEL that guards and mappings mostly use: names, paths, literals,
 * comparisons, `and`/`or` and arithmetic. It mirrors feelin 8's interpreter node by node (same tree, same
 * semantics) but is built once per expression instead of on every call. Whatever it does not cover — a node type
 * it does not know at compile time, or a value outside plain JSON at run time (dates, lists in comparisons) —
 * yields {@link FALLBACK}, and the caller evaluates the expression with feelin instead.
 */
export const FALLBACK: unique symbol = Symbol('feel-fallback');
export type Fallback = typeof FALLBACK;

/** A compiled expression: its value over a context of plain JSON values, or FALLBACK. */
export type Compiled = (context: Record<string, unknown>) => unknown;

/** lezer-feel's normalisation of context keys (names with spaces and symbols), as feelin uses it for look-ups. */
function normalizeContextKey(name: string): string {
  return name
    .replace(/\s*([./\-'+]|\*\*?)\s*/g, ' $1 ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

const isPlainObject = (value: object) => Object.getPrototypeOf(value) === Object.prototype;

/** feelin's `getFromContext` for plain JSON targets; FALLBACK for anything else (dates, class instances). */
function lookUp(name: string, target: unknown): unknown {
  if (target === null || target === undefined) return undefined;
  if (typeof target !== 'object') return typeof target === 'function' ? FALLBACK : undefined;
  if (!Array.isArray(target) && !isPlainObject(target)) return FALLBACK;
  const record = target as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  const normalized = normalizeContextKey(name);
  if (Object.hasOwn(record, normalized)) return record[normalized];
  for (const key of Object.keys(record)) if (normalizeContextKey(key) === normalized) return record[key];
  return undefined;
}

/** FEEL's string literal unescaping (feelin's `parseString`). */
function parseString(literal: string): string {
  let text = literal;
  if (text.startsWith('"')) text = text.slice(1);
  if (text.endsWith('"')) text = text.slice(0, -1);
  return text.replace(
    /(\\")|(\\\\)|(\\n)|(\\r)|(\\t)|(\\u[a-fA-F0-9]{5,6})|((?:\\u[a-fA-F0-9]{1,4})+)/gi,
    (substring, quotes, backslash, newline, carriageReturn, tab, codePoint, charCodes) => {
      if (quotes) return '"';
      if (newline) return '\n';
      if (carriageReturn) return '\r';
      if (tab) return '\t';
      if (backslash) return '\\';
      const unicode = /\\u([a-fA-F0-9]+)/gi;
      if (codePoint) return String.fromCodePoint(Number.parseInt(unicode.exec(codePoint)?.[1] ?? '', 16));
      if (charCodes) {
        const codes: number[] = [];
        for (let m = unicode.exec(substring); m !== null; m = unicode.exec(substring))
          codes.push(Number.parseInt(m[1]!, 16));
        return String.fromCharCode(...codes);
      }
      return substring;
    },
  );
}

type Primitive = null | boolean | number | string;
const isPrimitive = (v: unknown): v is Primitive =>
  v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string';
const feelType = (v: Primitive) => (v === null ? 'nil' : typeof v);

/** `=` on two primitives (feelin's `equals`): null only against null, different types are incomparable. */
function equals(a: Primitive, b: Primitive): boolean | null {
  if ((a === null) !== (b === null)) return false;
  if (feelType(a) !== feelType(b)) return null;
  if (a === null) return true;
  // biome-ignore lint/suspicious/noDoubleEquals: same-typed values; mirrors feelin (NaN stays unequal)
  return a == b;
}

/** feelin's range comparison `left < right` and friends: right is the bound, left the probe. */
function compareOrder(op: string, left: unknown, right: unknown): unknown {
  if (right === null) return null;
  if (typeof right !== 'number' && typeof right !== 'string') return FALLBACK;
  if (left === null) return null;
  if (typeof left !== 'number' && typeof left !== 'string' && typeof left !== 'boolean') return FALLBACK;
  const l = left as number;
  const r = right as number;
  const c = l < r ? -1 : l > r ? 1 : 0;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

const ARITH_TYPES: Record<string, string[]> = {
  '+': ['string', 'number'],
  '-': ['number'],
  '*': ['number'],
  '/': ['number'],
  '**': ['number'],
  '^': ['number'],
};

/** feelin's `nullable` arithmetic over JSON values: wrong or mixed types give null. */
function arithmetic(op: string, left: unknown, right: unknown): unknown {
  if (Array.isArray(left) || Array.isArray(right)) return null;
  if (!isPrimitive(left) || !isPrimitive(right)) {
    // Contexts are not temporal, so feelin answers null; anything else (dates) is feelin's to judge.
    const plain = (v: unknown) => isPrimitive(v) || (typeof v === 'object' && v !== null && isPlainObject(v));
    return plain(left) && plain(right) ? null : FALLBACK;
  }
  const type = feelType(left);
  if (type !== feelType(right) || !ARITH_TYPES[op]?.includes(type)) return null;
  const a = left as number;
  const b = right as number;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return !b ? null : a / b;
    default:
      return a ** b;
  }
}

const logical = (v: unknown) => (typeof v === 'boolean' ? v : null);

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

/** Names that feelin resolves to a built-in function when the context lacks them (`count`, `now`, …). */
const builtinCache = new Map<string, boolean>();
function isBuiltin(name: string): boolean {
  let known = builtinCache.get(name);
  if (known === undefined) {
    known = evaluate(name, {}).value !== null;
    builtinCache.set(name, known);
  }
  return known;
}

class Unsupported extends Error {}

function compileNode(node: SyntaxNode, source: string): Compiled {
  const text = source.slice(node.from, node.to);
  const args = children(node);
  const sub = (i: number) => compileNode(args[i]!, source);
  const is = (i: number, name: string) => args[i]?.name === name;
  switch (node.name) {
    case 'Expression':
    case 'ParenthesizedExpression': {
      const inner = node.name === 'Expression' ? args.length === 1 && sub(0) : args.length === 3 && sub(1);
      if (!inner) break;
      return inner;
    }
    case 'VariableName': {
      if (args.length !== 1 || !is(0, 'Identifier') || isBuiltin(text)) break;
      return (context) => {
        const value = Object.hasOwn(context, text) ? context[text] : undefined;
        return value === undefined ? null : value;
      };
    }
    case 'PathExpression': {
      const path = args[2];
      if (args.length !== 3 || !is(1, '.') || path?.name !== 'PathName') break;
      const names = children(path);
      if (names.length !== 1 || names[0]?.name !== 'Identifier') break;
      const name = source.slice(names[0].from, names[0].to);
      const target = sub(0);
      const member = (value: unknown) => {
        const found = lookUp(name, value);
        return found === undefined ? null : found;
      };
      return (context) => {
        const value = target(context);
        if (value === FALLBACK) return FALLBACK;
        if (!Array.isArray(value)) return member(value);
        const mapped = value.map(member);
        return mapped.includes(FALLBACK) ? FALLBACK : mapped;
      };
    }
    case 'NumericLiteral': {
      const value = text.includes('.') ? Number.parseFloat(text) : Number.parseInt(text, 10);
      return () => value;
    }
    case 'StringLiteral': {
      const value = parseString(text);
      return () => value;
    }
    case 'BooleanLiteral': {
      const value = text === 'true';
      return () => value;
    }
    case 'null':
      return () => null;
    case 'Disjunction':
    case 'Conjunction': {
      if (args.length !== 3) break;
      const [left, right] = [sub(0), sub(2)];
      const or = node.name === 'Disjunction';
      return (context) => {
        const l = left(context);
        const r = right(context);
        if (l === FALLBACK || r === FALLBACK) return FALLBACK;
        const a = logical(l);
        const b = logical(r);
        if (or) return a === true || b === true ? true : a === false && b === false ? false : null;
        return a === false || b === false ? false : a === true && b === true ? true : null;
      };
    }
    case 'Comparison': {
      if (args.length !== 3 || !is(1, 'CompareOp')) break;
      const op = source.slice(args[1]!.from, args[1]!.to);
      if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) break;
      const [left, right] = [sub(0), sub(2)];
      return (context) => {
        const l = left(context);
        const r = right(context);
        if (l === FALLBACK || r === FALLBACK) return FALLBACK;
        if (op !== '=' && op !== '!=') return compareOrder(op, l, r);
        if (!isPrimitive(l) || !isPrimitive(r)) return FALLBACK;
        const result = equals(l, r);
        return op === '=' || result === null ? result : !result;
      };
    }
    case 'ArithmeticExpression': {
      const binary = args.length === 3 && is(1, 'ArithOp');
      const unary = args.length === 2 && is(0, 'ArithOp');
      if (!binary && !unary) break;
      const opNode = args[binary ? 1 : 0]!;
      const op = source.slice(opNode.from, opNode.to);
      if (!(op in ARITH_TYPES)) break;
      const left = binary ? sub(0) : () => 0;
      const right = sub(binary ? 2 : 1);
      return (context) => {
        const l = left(context);
        const r = right(context);
        if (l === FALLBACK || r === FALLBACK) return FALLBACK;
        return arithmetic(op, l, r);
      };
    }
    default:
      break;
  }
  throw new Unsupported(node.name);
}

/** Compiles a parsed, error-free expression; undefined when it uses anything beyond the covered core. */
export function compileFeel(expression: string, tree: Tree): Compiled | undefined {
  try {
    return compileNode(tree.topNode, expression);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
