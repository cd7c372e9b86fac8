import { ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import { Canvas } from './canvas.tsx';
import { useEditorOutlet } from './editor-page.tsx';
import { Inspector } from './inspector.tsx';
import { OutlineView } from './outline-view.tsx';
import { Palette } from './palette.tsx';
import { ProblemsPanel } from './problems-panel.tsx';

/** The editor's main view: palette, canvas and inspector side by side, then problems and the outline. */
export function ModelView() {
  const { problems, connectors, groups } = useEditorOutlet();
  const counts = useMemo(() => {
    const byState: Record<string, number> = {};
    for (const p of problems) if (p.stateId) byState[p.stateId] = (byState[p.stateId] ?? 0) + 1;
    return byState;
  }, [problems]);
  return (
    <>
      <div className="vw-workbench">
        <Palette connectors={connectors} groups={groups} />
        <ReactFlowProvider>
          <Canvas marks={{ problems: counts }} />
        </ReactFlowProvider>
        <Inspector connectors={connectors} groups={groups} problems={problems} />
      </div>
      <ProblemsPanel problems={problems} />
      <OutlineView groups={groups} />
    </>
  );
}
