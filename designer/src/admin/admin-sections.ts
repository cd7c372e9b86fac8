/** The admin area's sections: path segment under /admin (a bookmark contract) and message key. */
export const ADMIN_SECTIONS = [
  { path: 'anbindungen', key: 'connectors' },
  { path: 'stoerungen', key: 'incidents' },
  { path: 'benutzer', key: 'users' },
  { path: 'mandanten', key: 'tenants' },
  { path: 'vorgaenge', key: 'cases' },
] as const;
