import type { RouteObject } from 'react-router';
import { AccessibilityPage } from './accessibility-page.tsx';
import { ApplicationPage } from './application-page.tsx';
import { CataloguePage } from './catalogue-page.tsx';
import { ConfirmationPage } from './confirmation-page.tsx';
import { EasyLanguagePage } from './easy-language-page.tsx';
import { ServicePage } from './service-page.tsx';
import { StatusLookupPage, StatusPage } from './status-page.tsx';
import './portal.css';

/** The citizen portal's pages; the start page `/` is the service catalogue. */
export const portalRoutes: RouteObject[] = [
  { path: '/', element: <CataloguePage /> },
  { path: '/leistungen/:key', element: <ServicePage /> },
  { path: '/leistungen/:key/antrag', element: <ApplicationPage /> },
  { path: '/leistungen/:key/eingegangen/:trackingCode', element: <ConfirmationPage /> },
  { path: '/status', element: <StatusLookupPage /> },
  { path: '/status/:trackingCode', element: <StatusPage /> },
  { path: '/leichte-sprache', element: <EasyLanguagePage /> },
  { path: '/barrierefreiheit', element: <AccessibilityPage /> },
];
