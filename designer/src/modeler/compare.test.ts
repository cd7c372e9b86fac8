import { describe, expect, it } from 'vitest';
import { sampleDefinition } from '../../../engine/testing/sample-definition.ts';
import { compareDefinitions } from './compare.ts';
import { edgeId, toFlow } from './flow.ts';

describe('compareDefinitions', () => {
  it('finds nothing between a definition and itself apart from layout', () => {
    const a = sampleDefinition();
    const b = sampleDefinition();
    b.states.review!.position = { x: 10, y: 20 };
    const result = compareDefinitions(a, b);
    expect(result.items).toEqual([]);
    expect(result.marks).toEqual({});
    expect(Object.keys(result.merged.states)).toEqual(Object.keys(a.states));
  });

  it('marks added, removed and changed states and transitions, and keeps removed ones on the merged picture', () => {
    const before = sampleDefinition();
    const after = sampleDefinition();
    delete after.states.cooldown;
    after.states.pay!.transitions = [
      { on: 'payment.paid', target: 'approved' },
      { on: 'timeout', target: 'rejected' },
    ];
    after.states.review!.title = 'Sorgfältig prüfen';
    after.states.archive = { kind: 'final', outcome: 'archived', status: 'Archiviert', transitions: [] };
    after.states.review!.transitions.push({ on: 'timeout', target: 'archive' });

    const { merged, marks, items } = compareDefinitions(before, after);
    expect(marks.archive).toBe('added');
    expect(marks.cooldown).toBe('removed');
    expect(marks.review).toBe('changed');
    expect(marks.pay).toBeUndefined();
    expect(marks[edgeId('pay', 0)]).toBe('added');
    expect(marks[edgeId('pay', 2)]).toBe('removed');
    expect(merged.states.pay!.transitions[2]).toEqual({ on: 'payment.paid', target: 'cooldown' });
    expect(marks[edgeId('review', 4)]).toBe('added');
    expect(marks[edgeId('cooldown', 0)]).toBe('removed');
    expect(items.map((i) => `${i.change} ${i.element} ${i.stateId}`).sort()).toEqual(
      [
        'added state archive',
        'added transition pay',
        'added transition review',
        'changed state review',
        'removed state cooldown',
        'removed transition pay',
      ].sort(),
    );
    const flow = toFlow(merged);
    for (const id of Object.keys(marks)) {
      expect(flow.nodes.some((n) => n.id === id) || flow.edges.some((e) => e.id === id), id).toBe(true);
    }
  });
});
