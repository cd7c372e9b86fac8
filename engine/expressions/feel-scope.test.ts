import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFeel, evaluateFeelUncompiled } from './feel.ts';
import { contextFor } from './feel-scope.ts';

const outcome = (run: () => unknown) => {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error instanceof Error ? error.name : String(error) };
  }
};

const names = ['xs', 'ys', 'n', 'item', 'x', 'count', 'and', 'true', 'sum', 'a'];
const keys = [...names, 'a b', 'a-b', 'n+1', 'x y', 'length'];
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('a', 'b'),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...keys), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const context = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }) as fc.Arbitrary<Record<string, unknown>>;
/** Expressions beyond the compiled core: functions, loops, filters, `in`, names bound by FEEL itself. */
const expression = fc.constantFrom(
  'count(xs)',
  'sum(xs) > n',
  'for x in xs return x + n',
  'some x in xs satisfies x = n',
  'every y in ys satisfies y > 0',
  'xs[item > n]',
  'xs[1]',
  'item',
  'n in (1, 2, 3)',
  'n in xs',
  'a b + 1',
  'a-b',
  'n+1',
  'x y',
  'if n > 0 then xs else ys',
  '{k: n, l: xs}.k',
  'string length(a)',
  'xs.length',
  'count and true',
  'not(true)',
  'n between 1 and 3',
  'date("2026-03-02") + duration("P1D")',
);

describe('the context feelin gets', () => {
  it('gives the same results as the whole context', () => {
    fc.assert(
      fc.property(expression, context, (expr, ctx) => {
        expect(outcome(() => evaluateFeel(expr, ctx))).toEqual(outcome(() => evaluateFeelUncompiled(expr, ctx)));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves out plain names the expression does not mention', () => {
    const scope = contextFor('amount > limit', { amount: 1, limit: 2, other: 3, person: {} }, false);
    expect(Object.keys(scope.context).sort()).toEqual(['amount', 'limit']);
  });

  it('keeps the whole context when a key could steer the parser', () => {
    const ctx = { amount: 1, 'date of birth': '2000-01-01', other: 3 };
    expect(contextFor('amount', ctx, true)).toEqual({ context: ctx, compiled: false });
  });

  it('does not use the compiled form when a name the expression reads is a keyword', () => {
    expect(contextFor('a and b', { a: true, b: true, and: 1 }, true).compiled).toBe(false);
    expect(contextFor('a.b', { a: { 'b c': 1 } }, true).compiled).toBe(false);
    expect(contextFor('a.b', { a: { b: 1 } }, true).compiled).toBe(true);
  });

  it('leaves function calls such as now() and today() to feelin, evaluated on every call (no results are cached)', () => {
    expect(typeof evaluateFeel('now()', {})).toBe('string');
    expect(evaluateFeel('today() = today()', {})).toBe(true);
  });
});
