import { Route, Routes } from 'react-router';
import { BpmnView } from './bpmn-view.tsx';
import { EditorPage } from './editor-page.tsx';
import { FormEditorView } from './form-editor-view.tsx';
import { ModelView } from './model-view.tsx';
import { ProcedureListPage } from './procedure-list-page.tsx';
import { SimulatorView } from './simulator-view.tsx';
import { TestRunView } from './test-run-view.tsx';
import { VersionsView } from './versions-view.tsx';

/** The designer's pages: `/designer` lists the procedures, `/designer/:key` edits one. */
export function Component() {
  return (
    <Routes>
      <Route index element={<ProcedureListPage />} />
      <Route path=":key" element={<EditorPage />}>
        <Route index element={<ModelView />} />
        <Route path="formular" element={<FormEditorView />} />
        <Route path="simulation" element={<SimulatorView />} />
        <Route path="testlauf" element={<TestRunView />} />
        <Route path="versionen" element={<VersionsView />} />
        <Route path="bpmn" element={<BpmnView />} />
      </Route>
    </Routes>
  );
}
