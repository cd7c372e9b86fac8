import dagre from '@dagrejs/dagre';
import { type Edge, MarkerType, type Node } from '@xyflow/react';
import type { TaskContext } from './inbox-api.ts';

const WIDTH = 170;
const HEIGHT = 48;

/** Lays the procedure's states out top to bottom with dagre; node data holds plain values only. */
export function layout(diagram: TaskContext['diagram'], current: string): { nodes: Node[]; edges: Edge[] } {
  const graph = new dagre.graphlib.Graph().setDefaultEdgeLabel(() => ({}));
  graph.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 40 });
  for (const s of diagram.states) graph.setNode(s.id, { width: WIDTH, height: HEIGHT });
  for (const t of diagram.transitions) graph.setEdge(t.from, t.to);
  dagre.layout(graph);
  const nodes: Node[] = diagram.states.map((s) => {
    const { x, y } = graph.node(s.id);
    return {
      id: s.id,
      position: { x: x - WIDTH / 2, y: y - HEIGHT / 2 },
      data: { label: s.title },
      className: `inbox-diagram__node inbox-diagram__node--${s.kind}${s.id === current ? ' inbox-diagram__node--current' : ''}`,
      style: { width: WIDTH },
    };
  });
  const edges: Edge[] = diagram.transitions.map((t, i) => ({
    id: `${t.from}-${t.to}-${i}`,
    source: t.from,
    target: t.to,
    markerEnd: { type: MarkerType.ArrowClosed },
  }));
  return { nodes, edges };
}
