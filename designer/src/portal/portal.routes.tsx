import type { RouteObject } from 'react-router';
import { CataloguePage } from './catalogue-page.tsx';

/** The citizen portal's pages; the start page `/` is the service catalogue. */
export const portalRoutes: RouteObject[] = [{ path: '/', element: <CataloguePage /> }];
