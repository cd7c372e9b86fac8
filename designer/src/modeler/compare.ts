import type { Definition, State, Transition } from '../../../engine/definition/definition.schema.ts';
import { edgeId, stateLabel } from './flow.ts';

export type Change = 'added' | 'removed' | 'changed';

/** One line of the comparison list. */
export type ChangeItem = { change: Change; element: 'state' | 'transition'; stateId: string; text: string };

/**
 * How `after` differs from `before`, drawn on one picture: `merged` is `after` plus the removed states and
 * transitions of `before` (removed transitions appended to their state's list), without stored positions so
 * the canvas lays the union out afresh; `marks` are keyed by state id and edge id of `merged`.
 */
export type Comparison = { merged: Definition; marks: Record<string, Change>; items: ChangeItem[] };

function transitionKey(t: Transition): string {
  return JSON.stringify([t.on ?? null, t.target, t.guard ?? null, t.label ?? null]);
}

function withoutLayout(state: State): unknown {
  const { position: _position, transitions: _transitions, ...rest } = state;
  return rest;
}

function withoutPosition(state: State): State {
  const { position: _, ...rest } = state;
  return rest as State;
}

function describe(t: Transition, definition: Definition, from: string): string {
  const source = definition.states[from];
  const target = definition.states[t.target];
  const head = `${source ? stateLabel(from, source) : from} → ${target ? stateLabel(t.target, target) : t.target}`;
  return `${head}${t.on ? ` (${t.on})` : ''}${t.guard ? ` [${t.guard}]` : ''}`;
}

/** Compares two definitions by state id and, within a state, by transition (event, target, guard, label). */
export function compareDefinitions(before: Definition, after: Definition): Comparison {
  const marks: Record<string, Change> = {};
  const items: ChangeItem[] = [];
  const states: Record<string, State> = {};

  for (const [id, state] of Object.entries(after.states)) {
    const old = before.states[id];
    const transitions = [...state.transitions];
    if (!old) {
      marks[id] = 'added';
      items.push({ change: 'added', element: 'state', stateId: id, text: stateLabel(id, state) });
    } else {
      if (JSON.stringify(withoutLayout(old)) !== JSON.stringify(withoutLayout(state))) {
        marks[id] = 'changed';
        items.push({ change: 'changed', element: 'state', stateId: id, text: stateLabel(id, state) });
      }
      const oldKeys = old.transitions.map(transitionKey);
      state.transitions.forEach((t, index) => {
        if (!oldKeys.includes(transitionKey(t))) {
          marks[edgeId(id, index)] = 'added';
          items.push({ change: 'added', element: 'transition', stateId: id, text: describe(t, after, id) });
        }
      });
      const newKeys = state.transitions.map(transitionKey);
      for (const t of old.transitions) {
        if (newKeys.includes(transitionKey(t))) continue;
        marks[edgeId(id, transitions.length)] = 'removed';
        transitions.push(t);
        items.push({ change: 'removed', element: 'transition', stateId: id, text: describe(t, before, id) });
      }
    }
    states[id] = { ...withoutPosition(state), transitions };
  }
  for (const [id, state] of Object.entries(before.states)) {
    if (after.states[id]) continue;
    marks[id] = 'removed';
    items.push({ change: 'removed', element: 'state', stateId: id, text: stateLabel(id, state) });
    for (let index = 0; index < state.transitions.length; index++) marks[edgeId(id, index)] = 'removed';
    states[id] = withoutPosition(state);
  }
  return { merged: { ...after, states }, marks, items };
}
