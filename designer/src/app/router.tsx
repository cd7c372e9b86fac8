import { createBrowserRouter } from 'react-router';
import { LoginPage } from '../login/login-page.tsx';
import { portalRoutes } from '../portal/portal.routes.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { RequireRole } from './require-role.tsx';
import { Shell } from './shell.tsx';

/** The paths are a contract (bookmarks): `/` portal, `/login`, `/designer`, `/inbox`, `/admin`. */
export const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      ...portalRoutes,
      { path: '/login', element: <LoginPage /> },
      {
        element: <RequireRole needs="process-owner" />,
        children: [{ path: '/designer/*', lazy: () => import('../modeler/modeler.routes.tsx') }],
      },
      {
        element: <RequireRole needs="caseworker" />,
        children: [{ path: '/inbox/*', lazy: () => import('../inbox/inbox.routes.tsx') }],
      },
      {
        element: <RequireRole needs="admin" />,
        children: [{ path: '/admin/*', lazy: () => import('../admin/admin.routes.tsx') }],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
