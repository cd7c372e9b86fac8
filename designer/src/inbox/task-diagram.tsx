import { ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { layout } from './diagram-layout.ts';
import type { TaskContext } from './inbox-api.ts';

/**
 * The case's current state on a small read-only diagram of the procedure. Only a picture: the caption names the
 * current step, and the history table beside it is the text alternative.
 */
export function TaskDiagram({ diagram, current }: { diagram: TaskContext['diagram']; current: string }) {
  const { t } = useTranslation('inbox');
  const { nodes, edges } = useMemo(() => layout(diagram, current), [diagram, current]);
  const title = diagram.states.find((s) => s.id === current)?.title ?? current;
  return (
    <figure className="inbox-diagram">
      <div className="inbox-diagram__canvas" aria-hidden="true" inert>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          fitViewOptions={{ nodes: [{ id: current }], maxZoom: 1, minZoom: 0.5 }}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          zoomOnScroll={false}
          preventScrolling={false}
          proOptions={{ hideAttribution: true }}
        />
      </div>
      <figcaption className="kern-body">{t('detail.currentStep', { step: title })}</figcaption>
    </figure>
  );
}
