import { evaluate, SyntaxError as FeelSyntaxError, parseExpression } from 'feelin';
import { type Compiled, compileFeel, FALLBACK } from './feel-compile.ts';
import { contextFor } from './feel-scope.ts';

/** An expression that does not parse; `position` is the character offset of the problem. */
export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** What one expression's analysis found: its top-level variables and, for the plain core of FEEL, a compiled form. */
type Analysis = { names: string[]; compiled: Compiled | undefined };

const parseCache = new Map<string, Analysis | ExpressionError>();

function analyse(expression: string): Analysis | ExpressionError {
  const cached = parseCache.get(expression);
  if (cached) return cached;
  let result: Analysis | ExpressionError;
  try {
    // evaluate() lints the tree and throws on syntax errors; with an empty context it has no effects.
    evaluate(expression, {});
    const tree = parseExpression(expression, {}, undefined);
    const names = new Set<string>();
    // Names bound by `for`/`some`/`every` and the filter's implicit `item` are local, not case variables.
    const bound = new Set<string>(['item']);
    tree.iterate({
      enter(node) {
        if (node.name === 'Name' && node.node.parent?.name === 'InExpression')
          bound.add(expression.slice(node.from, node.to));
        if (node.name !== 'VariableName') return;
        if (node.node.parent?.name === 'FunctionInvocation' && node.node.prevSibling === null) return;
        if (node.node.parent?.name === 'PathExpression' && node.node.prevSibling !== null) return;
        names.add(expression.slice(node.from, node.to));
      },
    });
    result = { names: [...names].filter((name) => !bound.has(name)), compiled: compileFeel(expression, tree) };
  } catch (error) {
    if (error instanceof FeelSyntaxError) {
      result = new ExpressionError(expression, `Ungültiger FEEL-Ausdruck: ${error.message}`, error.position?.from);
    } else {
      result = new ExpressionError(expression, `Ungültiger FEEL-Ausdruck: ${String(error)}`);
    }
  }
  if (parseCache.size > 5000) parseCache.clear();
  parseCache.set(expression, result);
  return result;
}

/** Checks an expression's syntax; returns the problem or undefined. */
export function checkExpression(expression: string): ExpressionError | undefined {
  const result = analyse(expression);
  return result instanceof ExpressionError ? result : undefined;
}

/**
 * The top-level variable names an expression reads (`applicant` for `applicant.relation = "self"`),
 * so the validator can tell when a form field is referenced but not defined. Function names and
 * FEEL's own context names (`item`, `outcome`, `result`) are left for the caller to filter.
 */
export function referencedVariables(expression: string): string[] {
  const result = analyse(expression);
  if (result instanceof ExpressionError) throw result;
  return result.names;
}

/** Evaluates a FEEL expression against a context of plain JSON values. Throws ExpressionError on bad syntax. */
export function evaluateFeel(expression: string, context: Record<string, unknown>): unknown {
  const analysis = analyse(expression);
  if (analysis instanceof ExpressionError) throw analysis;
  const scope = contextFor(expression, context, analysis.compiled !== undefined);
  if (analysis.compiled && scope.compiled) {
    const value = analysis.compiled(context);
    if (value !== FALLBACK) {
      const json = toJson(value, true);
      if (json !== FALLBACK) return json;
    }
  }
  return toJson(evaluate(expression, scope.context).value);
}

/** The reference path: feelin on the whole context, nothing compiled or left out (tests compare against it). */
export function evaluateFeelUncompiled(expression: string, context: Record<string, unknown>): unknown {
  const checked = checkExpression(expression);
  if (checked) throw checked;
  return toJson(evaluate(expression, context).value);
}

/** A guard: true only when the expression yields boolean true (null and non-booleans are false). */
export function evaluateGuard(expression: string, context: Record<string, unknown>): boolean {
  return evaluateFeel(expression, context) === true;
}

/**
 * FEEL values (dates, durations, ranges) become JSON: strings for temporal values, no functions. With `plain`
 * (a compiled expression's raw value, not converted by feelin) anything but plain JSON yields FALLBACK.
 */
function toJson(value: unknown, plain = false): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    let fallback = false;
    const out = value.map((item) => {
      const json = toJson(item, plain);
      if (json === FALLBACK) fallback = true;
      return json;
    });
    return fallback ? FALLBACK : out;
  }
  if (plain && (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)) return FALLBACK;
  if (typeof value === 'function') return null;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return String(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const item = toJson(v, plain);
      if (item === FALLBACK) return FALLBACK;
      out[k] = item;
    }
    return out;
  }
  return null;
}
