import type { Selectable } from 'kysely';
import { retryPolicySchema } from '../../engine/definition/definition.schema.ts';
import type { CaseRow, HistoryRow, JobRow, TaskRow, TimerRow } from '../../engine/runtime/ports.ts';
import type { CaseSnapshot } from '../../engine/runtime/runtime.ts';
import type { DB } from './schema.ts';

const date = (ms: number) => new Date(ms);
const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));
const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** Database row → engine row; the mappers are the only place that knows the stored encoding. */
export const rows = {
  case(r: Selectable<DB['cases']>): CaseRow {
    return {
      ...r,
      status: r.status as CaseRow['status'],
      snapshot: JSON.parse(r.snapshot) as CaseSnapshot,
      createdAt: date(r.createdAt),
      updatedAt: date(r.updatedAt),
    };
  },
  task(r: Selectable<DB['tasks']>): TaskRow {
    return {
      ...r,
      status: r.status as TaskRow['status'],
      data: json(r.data) as Record<string, unknown> | null,
      dueAt: dateOrNull(r.dueAt),
      createdAt: date(r.createdAt),
      completedAt: dateOrNull(r.completedAt),
    };
  },
  job(r: Selectable<DB['jobs']>): JobRow {
    return {
      ...r,
      status: r.status as JobRow['status'],
      input: JSON.parse(r.input) as Record<string, unknown>,
      retry: retryPolicySchema.parse(JSON.parse(r.retry)),
      nextRunAt: date(r.nextRunAt),
      leaseUntil: dateOrNull(r.leaseUntil),
      leaseExpired: r.leaseExpired === 1,
      result: json(r.result),
      createdAt: date(r.createdAt),
      updatedAt: date(r.updatedAt),
    };
  },
  timer(r: Selectable<DB['timers']>): TimerRow {
    return { ...r, status: r.status as TimerRow['status'], dueAt: date(r.dueAt) };
  },
  history(r: Selectable<DB['history']>): HistoryRow {
    return { ...r, at: date(r.at), detail: json(r.detail) as Record<string, unknown> | null };
  },
};
