import { describe, expect, it } from 'vitest';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import {
  addState,
  connect,
  emptyDefinition,
  removeState,
  removeTransition,
  renameStateId,
  replaceState,
  tidy,
  updateTransition,
} from './definition-edits.ts';
import { createEditorStore, redo, undo } from './editor-store.ts';

describe('editor store: undo and redo', () => {
  it('ten mixed edits undo one by one to each earlier definition and redo back to the last', () => {
    const store = createEditorStore();
    store.getState().load(emptyDefinition('hund', 'Hund anmelden', 'HUN'));
    const seen: Definition[] = [store.getState().definition!];
    const edits: ((d: Definition) => Definition)[] = [
      (d) => addState(d, { kind: 'task', title: 'Antrag prüfen', group: 'Steueramt' }).definition,
      (d) => addState(d, { kind: 'final', title: 'Erledigt' }).definition,
      (d) => connect(d, 'antragPruefen', 'erledigt'),
      (d) =>
        addState(d, { kind: 'service', title: 'Übermitteln', connector: 'postbox@1', operation: 'deliver' }).definition,
      (d) => connect(d, 'antragPruefen', 'uebermitteln', 'done'),
      (d) => updateTransition(d, 'antragPruefen', 1, { on: 'done', target: 'uebermitteln', guard: 'true' }),
      (d) => replaceState(d, 'erledigt', { ...d.states.erledigt!, title: 'Abgeschlossen' }),
      (d) => renameStateId(d, 'uebermitteln', 'senden'),
      (d) => removeTransition(d, 'antragPruefen', 0),
      (d) => removeState(d, 'senden'),
    ];
    for (const edit of edits) {
      store.getState().apply(edit);
      seen.push(store.getState().definition!);
    }
    expect(new Set(seen).size).toBe(11);
    for (let i = 9; i >= 0; i--) {
      undo(store);
      expect(store.getState().definition).toEqual(seen[i]);
    }
    for (let i = 1; i <= 10; i++) {
      redo(store);
      expect(store.getState().definition).toEqual(seen[i]);
    }
  });

  it('adds no undo step for edits that change nothing, nor for selection changes; load clears the history', () => {
    const store = createEditorStore();
    store.getState().load(emptyDefinition('hund', 'Hund anmelden', 'HUN'));
    store.getState().apply((d) => connect(d, 'fehlt', 'auchNicht'));
    store.getState().select({ type: 'state', id: 'x' });
    expect(store.temporal.getState().pastStates).toHaveLength(0);
    store
      .getState()
      .apply((d) => addState(d, { kind: 'wait', title: 'Warten' }).definition, { type: 'state', id: 'warten' });
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    undo(store);
    expect(store.getState().selection).toBeNull();
    store.getState().load(emptyDefinition('b', 'B', 'BBB'));
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });
});

describe('definition edits', () => {
  it('derives unique state ids from titles and makes the first state the start', () => {
    let d = emptyDefinition('hund', 'Hund', 'HUN');
    const first = addState(d, { kind: 'task', title: 'Prüfen & Entscheiden', group: 'g' });
    expect(first.id).toBe('pruefenEntscheiden');
    d = first.definition;
    expect(d.initial).toBe('pruefenEntscheiden');
    const second = addState(d, { kind: 'task', title: 'Prüfen & entscheiden', group: 'g' });
    expect(second.id).toBe('pruefenEntscheiden2');
    expect(second.definition.initial).toBe('pruefenEntscheiden');
    expect(addState(d, { kind: 'wait', title: '1. Frist' }).id).toBe('zustand1Frist');
  });

  it('picks the next unused event when connecting and refuses transitions out of final states', () => {
    let d = emptyDefinition('x', 'X', 'XXX');
    d = addState(d, { kind: 'service', title: 'Senden', connector: 'c@1', operation: 'op' }).definition;
    d = addState(d, { kind: 'final', title: 'Ende' }).definition;
    d = connect(connect(d, 'senden', 'ende'), 'senden', 'ende');
    expect(d.states.senden!.transitions.map((t) => t.on)).toEqual(['done', 'failed']);
    expect(connect(d, 'ende', 'senden')).toBe(d);
  });

  it('removing a state removes the transitions into it; renaming an id follows every reference; tidy lays out', () => {
    let d = emptyDefinition('x', 'X', 'XXX');
    d = addState(d, { kind: 'decision', title: 'Weiche' }).definition;
    d = addState(d, { kind: 'final', title: 'Ende' }).definition;
    d = connect(d, 'weiche', 'ende');
    const renamed = renameStateId(d, 'ende', 'schluss');
    expect(renamed.states.weiche!.transitions).toEqual([{ target: 'schluss' }]);
    expect(renameStateId(renamed, 'weiche', 'schluss')).toBe(renamed);
    const removed = removeState(renamed, 'weiche');
    expect(removed.initial).toBe('schluss');
    const laidOut = tidy(d);
    expect(laidOut.states.ende!.position!.y).toBeGreaterThan(laidOut.states.weiche!.position!.y);
  });
});
