import type { Definition, State, StateKind, Transition } from '../../../engine/definition/definition.schema.ts';
import { allowedEvents } from '../../../engine/definition/validate.ts';
import { layoutStates, type Position } from './flow.ts';

/** What the palette adds: a kind, a title and, for service steps, the connector operation. */
export type NewState = { kind: StateKind; title: string; connector?: string; operation?: string; group?: string };

/** An empty draft: no states and no fields yet (the form takes only the fields it lists); the first state added becomes the start. */
export function emptyDefinition(key: string, title: string, caseNumberPrefix: string): Definition {
  return {
    schemaVersion: 1,
    key,
    title,
    caseNumberPrefix,
    synonyms: [],
    requiresLogin: false,
    form: { type: 'object', properties: {}, additionalProperties: false },
    constants: {},
    initial: 'start',
    states: {},
  };
}

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };

/** A state id from a title ("Antrag prüfen" → `antragPruefen`), unique among `taken`. */
export function stateIdFor(title: string, taken: Iterable<string>): string {
  const words = title
    .replace(/[äöüßÄÖÜ]/g, (c) => UMLAUTS[c] ?? c)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const camel = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
  const base = (/^[A-Za-z]/.test(camel) ? camel : `zustand${camel}`).slice(0, 56) || 'zustand';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

function template(spec: NewState): State {
  switch (spec.kind) {
    case 'task':
      return { kind: 'task', title: spec.title, group: spec.group ?? '', transitions: [] };
    case 'service':
      return {
        kind: 'service',
        title: spec.title,
        connector: spec.connector ?? '',
        operation: spec.operation ?? '',
        input: {},
        result: {},
        transitions: [],
      };
    case 'wait':
      return { kind: 'wait', title: spec.title, transitions: [] };
    case 'decision':
      return { kind: 'decision', title: spec.title, transitions: [] };
    case 'timer':
      return { kind: 'timer', title: spec.title, delay: { workingDays: 1 }, transitions: [] };
    case 'final':
      return { kind: 'final', title: spec.title, outcome: 'erledigt', status: 'Abgeschlossen', transitions: [] };
  }
}

/** Adds a state below the lowest one; the first state of a draft becomes its start. */
export function addState(definition: Definition, spec: NewState): { definition: Definition; id: string } {
  const id = stateIdFor(spec.title, Object.keys(definition.states));
  const placed = Object.values(definition.states).flatMap((s) => (s.position ? [s.position] : []));
  const position: Position = placed.length
    ? { x: Math.min(...placed.map((p) => p.x)), y: Math.max(...placed.map((p) => p.y)) + 120 }
    : { x: 0, y: 0 };
  const first = Object.keys(definition.states).length === 0;
  return {
    id,
    definition: {
      ...definition,
      initial: first ? id : definition.initial,
      states: { ...definition.states, [id]: { ...template(spec), position } },
    },
  };
}

/** The event a new transition out of `state` gets: the first allowed one not used yet (decisions: none). */
export function defaultEvent(state: State): string | undefined {
  if (state.kind === 'decision') return undefined;
  const used = new Set(state.transitions.map((t) => t.on));
  const allowed = allowedEvents(state) ?? ['nachricht'];
  return allowed.find((e) => !used.has(e)) ?? allowed[0];
}

/** Adds a transition; final states take none, so the definition comes back unchanged for them. */
export function connect(definition: Definition, source: string, target: string, on?: string): Definition {
  const state = definition.states[source];
  if (!state || state.kind === 'final' || !definition.states[target]) return definition;
  const event = on ?? defaultEvent(state);
  const transition: Transition = event === undefined ? { target } : { on: event, target };
  return replaceState(definition, source, { ...state, transitions: [...state.transitions, transition] });
}

/** Removes a state with every transition leading to it; the start moves to the first remaining state. */
export function removeState(definition: Definition, id: string): Definition {
  const states: Record<string, State> = {};
  for (const [other, state] of Object.entries(definition.states)) {
    if (other === id) continue;
    states[other] = { ...state, transitions: state.transitions.filter((t) => t.target !== id) };
  }
  const initial = definition.initial === id ? (Object.keys(states)[0] ?? definition.initial) : definition.initial;
  return { ...definition, initial, states };
}

export function removeTransition(definition: Definition, stateId: string, index: number): Definition {
  const state = definition.states[stateId];
  if (!state) return definition;
  return replaceState(definition, stateId, { ...state, transitions: state.transitions.filter((_, i) => i !== index) });
}

/** Replaces one transition; empty optional fields are dropped rather than stored as "". */
export function updateTransition(definition: Definition, stateId: string, index: number, next: Transition): Definition {
  const state = definition.states[stateId];
  if (!state?.transitions[index]) return definition;
  const clean: Transition = { target: next.target };
  if (next.on) clean.on = next.on;
  if (next.guard) clean.guard = next.guard;
  if (next.label) clean.label = next.label;
  return replaceState(definition, stateId, {
    ...state,
    transitions: state.transitions.map((t, i) => (i === index ? clean : t)),
  });
}

export function replaceState(definition: Definition, id: string, state: State): Definition {
  return { ...definition, states: { ...definition.states, [id]: state } };
}

/** Changes a state's id and every reference to it (transitions, start). */
export function renameStateId(definition: Definition, from: string, to: string): Definition {
  if (from === to || !definition.states[from] || definition.states[to]) return definition;
  const states: Record<string, State> = {};
  for (const [id, state] of Object.entries(definition.states)) {
    states[id === from ? to : id] = {
      ...state,
      transitions: state.transitions.map((t) => (t.target === from ? { ...t, target: to } : t)),
    };
  }
  return { ...definition, initial: definition.initial === from ? to : definition.initial, states };
}

/** "Aufräumen": every state placed anew by the dagre layout. */
export function tidy(definition: Definition): Definition {
  const positions = layoutStates(definition);
  return {
    ...definition,
    states: Object.fromEntries(
      Object.entries(definition.states).map(([id, s]) => [id, { ...s, position: positions[id] ?? s.position }]),
    ),
  };
}
