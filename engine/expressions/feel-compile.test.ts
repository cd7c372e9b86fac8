import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFeel, evaluateFeelUncompiled } from './feel.ts';

/** The outcome of one evaluation, errors included (both paths must fail alike). */
function outcome(run: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error instanceof Error ? error.name : String(error) };
  }
}

const same = (expression: string, context: Record<string, unknown>) =>
  expect(outcome(() => evaluateFeel(expression, context))).toEqual(
    outcome(() => evaluateFeelUncompiled(expression, context)),
  );

/** Names the expressions use: plain ones, keywords, built-ins, the filter's `item`. */
const names = ['a', 'b', 'c', 'amount', 'person', 'item', 'count', 'and', 'true', 'null', 'date', 'x1'];
/** Keys the contexts hold: the names, and keys that steer feelin's parser (spaces, symbols). */
const keys = [...names, 'a b', 'a-b', 'b+c', "o'b", 'x y', '__proto__', 'familyName', 'copies'];

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.constantFrom('', 'a', 'b', 'abc', '10', 'true'),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('object')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 3 }),
})).value;
const context = fc.dictionary(fc.constantFrom(...keys), json, { maxKeys: 6 }) as fc.Arbitrary<Record<string, unknown>>;

const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('atom'),
    tie('atom'),
    fc.tuple(tie('expr'), fc.constantFrom('=', '!=', '<', '<=', '>', '>='), tie('expr')).map((p) => p.join(' ')),
    fc.tuple(tie('expr'), fc.constantFrom('and', 'or'), tie('expr')).map((p) => p.join(' ')),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '**'), tie('expr')).map((p) => p.join(' ')),
    tie('expr').map((e) => `(${e})`),
    tie('expr').map((e) => `-${e}`),
  ),
  atom: fc.oneof(
    fc.constantFrom(...names),
    fc
      .tuple(fc.constantFrom(...names), fc.constantFrom('a', 'b', 'familyName', 'copies', 'length', 'x'))
      .map(([n, p]) => `${n}.${p}`),
    fc.integer({ min: 0, max: 20 }).map(String),
    fc.constantFrom('1.5', '0', '"a"', '"abc"', '"x\\ny"', '"\\u0041"', 'true', 'false', 'null'),
  ),
})).expr as fc.Arbitrary<string>;

describe('compiled FEEL core', () => {
  it('gives what feelin gives on the whole context, for any expression and context', () => {
    fc.assert(
      fc.property(expression, context, (expr, ctx) => {
        same(expr, ctx);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with feelin on the shapes procedures use', () => {
    const ctx = {
      person: { familyName: 'Muster', 'date of birth': '2000-01-01' },
      request: { copies: 2 },
      feeCents: 1200,
      caseNumber: 'BEN-2026-000001',
      result: { id: 'x', items: [{ a: 1 }, { a: 2 }] },
      list: [1, 2, 3],
      when: new Date('2026-03-02T10:00:00Z'),
    };
    for (const expr of [
      'person.familyName = null or request.copies < 1 or request.copies > 10',
      'feeCents * request.copies',
      'caseNumber',
      '"Ihre Geburtsurkunde"',
      'result',
      'result.items.a',
      'list',
      'list = [1, 2, 3]',
      'when',
      'when > date("2026-01-01")',
      'request.copies / 0',
      'request.copies < true',
      'person.date of birth',
      'count(list) > 2',
      'missing.field = null',
      'caseNumber + "-x"',
      'caseNumber < 3',
    ]) {
      same(expr, ctx);
    }
  });

  it('leaves keywords and parser-steering names to feelin', () => {
    same('and', { and: 1 });
    same('a.true', { a: { true: 1 } });
    same('r.x - b', { r: { 'x-b': 5, x: 7 }, b: 1 });
    same('x - b', { 'x-b': 5, x: 7, b: 1 });
    expect(evaluateFeel('r.x - b', { r: { 'x-b': 5, x: 7 }, b: 1 })).toBe(5);
  });

  it('returns copies, not the context objects themselves', () => {
    const ctx = { result: { id: 'x' } };
    const value = evaluateFeel('result', ctx) as { id: string };
    expect(value).toEqual({ id: 'x' });
    expect(value).not.toBe(ctx.result);
  });
});
