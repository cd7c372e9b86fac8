import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../app/not-found-page.tsx';
import './inbox.css';
import { InboxPage } from './inbox-page.tsx';
import { TaskPage } from './task-page.tsx';

/** The inbox area's routes under `/inbox`: the task list and one task (`/inbox/aufgaben/:id`). */
export function Component() {
  return (
    <Routes>
      <Route index element={<InboxPage />} />
      <Route path="aufgaben/:id" element={<TaskPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
