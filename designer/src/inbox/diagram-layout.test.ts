import { describe, expect, it } from 'vitest';
import { layout } from './diagram-layout.ts';

describe('read-only procedure diagram', () => {
  it('lays states out top to bottom, marks the current one and draws every transition', () => {
    const { nodes, edges } = layout(
      {
        initial: 'a',
        states: [
          { id: 'a', kind: 'decision', title: 'Eingang' },
          { id: 'b', kind: 'task', title: 'Prüfen' },
          { id: 'c', kind: 'final', title: 'Fertig' },
        ],
        transitions: [
          { from: 'a', to: 'b', label: null },
          { from: 'b', to: 'c', label: 'Annehmen' },
          { from: 'b', to: 'a', label: 'Zurück' },
        ],
      },
      'b',
    );
    const y = Object.fromEntries(nodes.map((n) => [n.id, n.position.y]));
    expect(y.a).toBeLessThan(y.b!);
    expect(y.b).toBeLessThan(y.c!);
    expect(nodes.find((n) => n.id === 'b')?.className).toContain('inbox-diagram__node--current');
    expect(nodes.find((n) => n.id === 'a')?.className).not.toContain('--current');
    expect(nodes.map((n) => n.data)).toEqual([{ label: 'Eingang' }, { label: 'Prüfen' }, { label: 'Fertig' }]);
    expect(edges.map((e) => `${e.source}>${e.target}`)).toEqual(['a>b', 'b>c', 'b>a']);
  });
});
