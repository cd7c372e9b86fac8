import { ApiError } from '../app/api.ts';

/** True for the answers that mean "someone else was quicker" (claimed, handed over or completed meanwhile). */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}
