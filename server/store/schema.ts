/**
 * Table types as Kysely sees them (camelCase; the CamelCasePlugin maps to snake_case columns).
 * Times are epoch milliseconds, JSON is text and flags are 0/1 on both SQLite and Postgres, so one
 * set of queries serves both dialects.
 */
export type DB = {
  tenants: {
    id: string;
    name: string;
    land: string;
    extraHolidays: string;
    createdAt: number;
    contactEmail: string | null;
    contactPhone: string | null;
    /** JSON array of the postal address's lines. */
    contactAddress: string | null;
    /** `YYYY-MM-DD`: when the accessibility statement was prepared or last reviewed. */
    statementReviewedOn: string | null;
    /** The tenant a sandbox (test runs of the designer) belongs to; null for real tenants. */
    sandboxOf: string | null;
  };
  users: {
    id: string;
    tenantId: string;
    username: string;
    passwordHash: string;
    roles: string;
    disabled: number;
    createdAt: number;
  };
  groups: { id: string; tenantId: string; name: string };
  userGroups: { userId: string; groupId: string };
  sessions: { tokenHash: string; userId: string; tenantId: string; expiresAt: number };
  procedures: { tenantId: string; key: string; title: string; draft: string; updatedAt: number };
  procedureVersions: {
    id: string;
    tenantId: string;
    key: string;
    version: number;
    title: string;
    definition: string;
    publishedAt: number;
    publishedBy: string;
  };
  cases: {
    id: string;
    tenantId: string;
    procedureKey: string;
    procedureVersion: number;
    caseNumber: string;
    trackingCode: string;
    state: string;
    status: string;
    publicStatus: string | null;
    outcome: string | null;
    snapshot: string;
    version: number;
    createdAt: number;
    updatedAt: number;
  };
  caseSequences: { tenantId: string; prefix: string; year: number; value: number };
  tasks: {
    id: string;
    tenantId: string;
    caseId: string;
    state: string;
    title: string;
    groupName: string;
    assignee: string | null;
    status: string;
    outcome: string | null;
    data: string | null;
    dueAt: number | null;
    createdAt: number;
    completedAt: number | null;
    completedBy: string | null;
  };
  jobs: {
    id: string;
    tenantId: string;
    caseId: string;
    state: string;
    connector: string;
    operation: string;
    input: string;
    idempotencyKey: string;
    status: string;
    attempts: number;
    retry: string;
    nextRunAt: number;
    leaseToken: string | null;
    leaseUntil: number | null;
    leaseExpired: number;
    lastError: string | null;
    result: string | null;
    createdAt: number;
    updatedAt: number;
  };
  timers: {
    id: string;
    tenantId: string;
    caseId: string;
    state: string;
    visit: number;
    dueAt: number;
    status: string;
  };
  history: {
    id: string;
    tenantId: string;
    caseId: string;
    at: number;
    kind: string;
    fromState: string | null;
    toState: string | null;
    event: string | null;
    actor: string;
    publicStatus: string | null;
    detail: string | null;
  };
  taskFollowUps: { taskId: string; tenantId: string; until: number; setBy: string; setAt: number };
  caseNotes: {
    id: string;
    tenantId: string;
    caseId: string;
    taskId: string | null;
    author: string;
    at: number;
    text: string;
  };
  connectorConfigs: {
    tenantId: string;
    connectorId: string;
    config: string;
    secrets: string;
    updatedAt: number;
  };
};
