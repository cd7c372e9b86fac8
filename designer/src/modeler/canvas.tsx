import {
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  MiniMap,
  type NodeChange,
  type OnBeforeDelete,
  ReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import { connect, removeState, removeTransition } from './definition-edits.ts';
import { useEditor, useEditorStore } from './editor-context.ts';
import type { Selection } from './editor-store.ts';
import { edgeId, fromFlow, type StateNode, type StateNodeData, type TransitionEdge, toFlow } from './flow.ts';
import { StateNodeView } from './state-node.tsx';

const nodeTypes = { state: StateNodeView };

/** What the canvas paints on top of the definition: problem counts, the simulated state, compare marks. */
export type CanvasMarks = {
  problems?: Record<string, number>;
  current?: string;
  changes?: Record<string, NonNullable<StateNodeData['change']>>;
};

/**
 * The diagram of a definition. Read-only canvases (simulation, comparison) pass `definition`; the editor's
 * canvas edits through the store: drag, connect, delete and select are each one undoable step.
 */
export function Canvas({ marks = {}, definition: fixed }: { marks?: CanvasMarks; definition?: Definition }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const edited = useEditor((s) => s.definition);
  const selection = useEditor((s) => s.selection);
  const definition = fixed ?? edited;
  const readOnly = fixed !== undefined;
  const flow = useMemo(() => (definition ? toFlow(definition) : { nodes: [], edges: [] }), [definition]);

  const decorate = (nodes: StateNode[]): StateNode[] =>
    nodes.map((n) => ({
      ...n,
      selected: !readOnly && selection?.type === 'state' && selection.id === n.id,
      ariaLabel: `${t(`kind.${n.data.kind}`)}: ${n.data.label}`,
      data: {
        ...n.data,
        problems: marks.problems?.[n.id],
        current: marks.current === n.id,
        change: marks.changes?.[n.id],
      },
    }));
  const [nodes, setNodes] = useState<StateNode[]>(() => decorate(flow.nodes));
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  // biome-ignore lint/correctness/useExhaustiveDependencies: decorate reads exactly these inputs
  useEffect(() => setNodes(decorate(flow.nodes)), [flow, selection, marks.problems, marks.current, marks.changes, t]);

  const edges: TransitionEdge[] = useMemo(
    () =>
      flow.edges.map((e) => ({
        ...e,
        selected: !readOnly && selection?.type === 'transition' && edgeId(selection.stateId, selection.index) === e.id,
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        ariaLabel: t('canvas.edgeLabel', { from: e.source, to: e.target, event: e.label || '–' }),
        className: marks.changes?.[e.id] ? `is-${marks.changes[e.id]}` : undefined,
      })),
    [flow, selection, readOnly, marks.changes, t],
  );

  const onNodesChange = (changes: NodeChange<StateNode>[]) => {
    const next = applyNodeChanges(changes, nodesRef.current);
    setNodes(next);
    if (readOnly) return;
    for (const change of changes) {
      if (change.type === 'select' && change.selected) store.getState().select({ type: 'state', id: change.id });
    }
    const moved = changes.some((c) => c.type === 'position' && c.dragging === false && c.position);
    const current = store.getState().definition;
    if (moved && current && next.some((n) => !samePosition(n, current))) {
      store.getState().apply((d) => fromFlow({ nodes: next, edges: flow.edges }, d));
    }
  };

  const onBeforeDelete: OnBeforeDelete<StateNode, TransitionEdge> = async ({ nodes: gone, edges: cut }) => {
    const stateIds = new Set(gone.map((n) => n.id));
    const transitions = cut
      .filter((e) => !stateIds.has(e.source) && e.data)
      .sort((a, b) => (b.data?.index ?? 0) - (a.data?.index ?? 0));
    store.getState().apply((d) => {
      let next = d;
      for (const e of transitions) next = removeTransition(next, e.source, e.data!.index);
      for (const id of stateIds) next = removeState(next, id);
      return next;
    }, null);
    return false;
  };

  return (
    <div className="vw-canvas" data-testid="canvas">
      <ReactFlow<StateNode, TransitionEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgeClick={(_, edge) =>
          !readOnly &&
          edge.data &&
          store.getState().select({ type: 'transition', stateId: edge.source, index: edge.data.index })
        }
        onPaneClick={() => !readOnly && store.getState().select(null)}
        onConnect={({ source, target }) => {
          const before = store.getState().definition?.states[source]?.transitions.length ?? 0;
          const select: Selection = { type: 'transition', stateId: source, index: before };
          store.getState().apply((d) => connect(d, source, target), select);
        }}
        onBeforeDelete={onBeforeDelete}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        fitView
        minZoom={0.2}
        ariaLabelConfig={{
          'node.a11yDescription.default': t('canvas.nodeHelp'),
          'node.a11yDescription.keyboardDisabled': t('canvas.nodeHelpReadOnly'),
          'node.a11yDescription.ariaLiveMessage': ({ x, y }) =>
            t('canvas.moved', { x: Math.round(x), y: Math.round(y) }),
          'edge.a11yDescription.default': t('canvas.edgeHelp'),
          'controls.ariaLabel': t('canvas.controls'),
          'controls.zoomIn.ariaLabel': t('canvas.zoomIn'),
          'controls.zoomOut.ariaLabel': t('canvas.zoomOut'),
          'controls.fitView.ariaLabel': t('canvas.fitView'),
          'controls.interactive.ariaLabel': t('canvas.interactive'),
          'minimap.ariaLabel': t('canvas.minimap'),
          'handle.ariaLabel': t('canvas.handle'),
        }}
        proOptions={{ hideAttribution: false }}
      >
        <Background />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}

function samePosition(node: StateNode, definition: Definition): boolean {
  const stored = definition.states[node.id]?.position;
  return stored !== undefined && stored.x === node.position.x && stored.y === node.position.y;
}
