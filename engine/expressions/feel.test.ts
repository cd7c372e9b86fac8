import { describe, expect, it } from 'vitest';
import { checkExpression, evaluateFeel, evaluateGuard, referencedVariables } from './feel.ts';

describe('FEEL expressions', () => {
  it('evaluates guards and mappings over plain JSON', () => {
    expect(evaluateGuard('amount > 100', { amount: 150 })).toBe(true);
    expect(evaluateGuard('amount > 100', { amount: 50 })).toBe(false);
    expect(evaluateFeel('{fee: copies * 1200}', { copies: 3 })).toEqual({ fee: 3600 });
    expect(evaluateGuard('relation in ("self", "spouse")', { relation: 'spouse' })).toBe(true);
  });

  it('treats null and non-boolean guard results as false', () => {
    expect(evaluateGuard('missing > 1', {})).toBe(false);
    expect(evaluateGuard('"yes"', {})).toBe(false);
  });

  it('reports syntax errors instead of throwing them at run time', () => {
    expect(checkExpression('amount >')?.message).toMatch(/Ungültiger FEEL-Ausdruck/);
    expect(checkExpression('amount > 1')).toBeUndefined();
    expect(() => evaluateFeel('amount >', {})).toThrow(/FEEL/);
  });

  it('lists the top-level variables an expression reads, not functions or path members', () => {
    expect(referencedVariables('applicant.relation = "self" and count(dogs) > copies').sort()).toEqual([
      'applicant',
      'copies',
      'dogs',
    ]);
  });

  it('does not count loop variables and the filter item as case variables', () => {
    expect(referencedVariables('some b in listedBreeds satisfies b = breed').sort()).toEqual(['breed', 'listedBreeds']);
    expect(referencedVariables('for x in xs return x * 2')).toEqual(['xs']);
    expect(referencedVariables('dogs[item.age > limit]').sort()).toEqual(['dogs', 'limit']);
  });

  it('turns FEEL temporal values into JSON strings', () => {
    expect(typeof evaluateFeel('date("2026-03-02")', {})).toBe('string');
  });

  it('cannot reach JavaScript: no eval, no globals', () => {
    expect(evaluateFeel('process', {})).toBeNull();
    expect(evaluateFeel('constructor', {})).toBeNull();
  });
});
