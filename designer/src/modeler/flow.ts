import { layout as dagreLayout, Graph } from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { Definition, State, StateKind, Transition } from '../../../engine/definition/definition.schema.ts';

/** Size of a state box on the canvas; the layout and the node CSS agree on it. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 72;

/** What a canvas node carries: plain values about its state, never callbacks. */
export type StateNodeData = {
  stateId: string;
  kind: StateKind;
  label: string;
  initial: boolean;
  /** Set by the canvas, not by `toFlow`: how many problems the state has. */
  problems?: number;
  /** Set by the canvas while simulating: the case is in this state. */
  current?: boolean;
  /** Set by the canvas in version comparison. */
  change?: 'added' | 'removed' | 'changed';
};

/** What a canvas edge carries: the transition's own fields and its place in the state's list. */
export type TransitionEdgeData = {
  index: number;
  on?: string;
  guard?: string;
  label?: string;
};

export type StateNode = Node<StateNodeData, 'state'>;
export type TransitionEdge = Edge<TransitionEdgeData>;
export type Flow = { nodes: StateNode[]; edges: TransitionEdge[] };
export type Position = { x: number; y: number };

/** The edge id of a state's n-th transition; stable while the list does not change. */
export function edgeId(stateId: string, index: number): string {
  return `${stateId}→${index}`;
}

/** The text an edge shows: its label, else its event, plus the guard in brackets. */
export function transitionCaption(t: Transition): string {
  const head = t.label ?? t.on ?? '';
  return t.guard ? `${head} [${t.guard}]`.trim() : head;
}

/** The name a state shows: its title, else its id. */
export function stateLabel(id: string, state: State): string {
  return state.title ?? id;
}

/** Top-to-bottom dagre layout of the states; positions are the nodes' top-left corners. */
export function layoutStates(definition: Definition): Record<string, Position> {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of Object.keys(definition.states)) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [id, state] of Object.entries(definition.states)) {
    state.transitions.forEach((t, i) => {
      if (definition.states[t.target]) graph.setEdge(id, t.target, {}, String(i));
    });
  }
  dagreLayout(graph);
  const positions: Record<string, Position> = {};
  for (const id of Object.keys(definition.states)) {
    const node = graph.node(id);
    positions[id] = { x: Math.round(node.x - NODE_WIDTH / 2), y: Math.round(node.y - NODE_HEIGHT / 2) };
  }
  return positions;
}

/**
 * The canvas picture of a definition. States keep their stored `position`; states without one are placed
 * by a dagre layout of the whole graph. Transitions to unknown states have no edge (the problems list
 * reports them) and are kept by `fromFlow` from the base definition.
 */
export function toFlow(definition: Definition): Flow {
  const needsLayout = Object.values(definition.states).some((s) => !s.position);
  const laidOut = needsLayout ? layoutStates(definition) : {};
  const nodes: StateNode[] = Object.entries(definition.states).map(([id, state]) => ({
    id,
    type: 'state',
    position: state.position ?? laidOut[id] ?? { x: 0, y: 0 },
    data: { stateId: id, kind: state.kind, label: stateLabel(id, state), initial: definition.initial === id },
  }));
  const edges: TransitionEdge[] = Object.entries(definition.states).flatMap(([id, state]) =>
    state.transitions.flatMap((t, index) =>
      definition.states[t.target]
        ? [
            {
              id: edgeId(id, index),
              source: id,
              target: t.target,
              label: transitionCaption(t),
              data: transitionData(t, index),
            },
          ]
        : [],
    ),
  );
  return { nodes, edges };
}

function transitionData(t: Transition, index: number): TransitionEdgeData {
  const data: TransitionEdgeData = { index };
  if (t.on !== undefined) data.on = t.on;
  if (t.guard !== undefined) data.guard = t.guard;
  if (t.label !== undefined) data.label = t.label;
  return data;
}

/**
 * The definition a canvas shows: `base` with the flow's states (positions from the nodes, order of the
 * nodes) and transitions (from the edges, in their `index` order). States removed from the flow are gone,
 * as are transitions whose edge was removed; transitions to unknown states, which have no edge, stay.
 */
export function fromFlow(flow: Flow, base: Definition): Definition {
  const states: Record<string, State> = {};
  for (const node of flow.nodes) {
    const original = base.states[node.id];
    if (!original) continue;
    const outgoing = flow.edges
      .filter((e) => e.source === node.id && flow.nodes.some((n) => n.id === e.target))
      .map((e, order) => ({ edge: e, rank: e.data?.index ?? original.transitions.length + order }));
    const dangling = original.transitions.map((t, index) => ({ t, index })).filter(({ t }) => !base.states[t.target]);
    const ordered = [
      ...outgoing.map(({ edge, rank }) => ({ rank, t: edgeTransition(edge) })),
      ...dangling.map(({ t, index }) => ({ rank: index, t })),
    ].sort((a, b) => a.rank - b.rank);
    states[node.id] = {
      ...original,
      position: { x: node.position.x, y: node.position.y },
      transitions: ordered.map(({ t }) => t),
    };
  }
  const initialKept = states[base.initial] !== undefined || !base.states[base.initial];
  return { ...base, initial: initialKept ? base.initial : (Object.keys(states)[0] ?? base.initial), states };
}

function edgeTransition(edge: TransitionEdge): Transition {
  const t: Transition = { target: edge.target };
  if (edge.data?.on !== undefined) t.on = edge.data.on;
  if (edge.data?.guard !== undefined) t.guard = edge.data.guard;
  if (edge.data?.label !== undefined) t.label = edge.data.label;
  return t;
}
