import { type AnyStateMachine, assign, setup } from 'xstate';
import type { Definition, State, Transition } from '../definition/definition.schema.ts';
import { evaluateFeel, evaluateGuard } from '../expressions/feel.ts';

/** A case's machine context: its variables and how often it entered each state (for idempotency keys). */
export type CaseContext = { vars: Record<string, unknown>; visits: Record<string, number> };

/**
 * Events a case takes. Task outcomes are `task:<outcome>`, connector results `job:done`/`job:failed`,
 * outside messages `message:<name>`, timers `timeout`.
 */
export type CaseEvent =
  | { type: `task:${string}`; data?: Record<string, unknown> }
  | { type: 'job:done'; result: unknown }
  | { type: 'job:failed'; error: { code: string; message: string } }
  | { type: `message:${string}`; data?: Record<string, unknown> }
  | { type: 'timeout' };

/** Names of the effect actions the compiled machine emits; the runtime turns them into rows. */
export type EffectActionName =
  | 'createTask'
  | 'cancelTask'
  | 'enqueueJob'
  | 'scheduleTimer'
  | 'cancelTimer'
  | 'publishStatus';

/** Maps the `on` of a transition in a state of the given kind to the machine's event type. */
export function eventType(state: State, on: string): CaseEvent['type'] {
  switch (state.kind) {
    case 'task':
      return on === 'timeout' && state.timeout ? 'timeout' : `task:${on}`;
    case 'service':
      return on === 'failed' ? 'job:failed' : 'job:done';
    case 'wait':
      return on === 'timeout' && state.timeout ? 'timeout' : `message:${on}`;
    default:
      return 'timeout';
  }
}

function eventData(event: { type: string } & Record<string, unknown>): Record<string, unknown> {
  const data = event.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** The variables a guard sees: case variables, overlaid by the event's data, its outcome and a connector result. */
function guardScope(context: CaseContext, event: { type: string } & Record<string, unknown>): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...context.vars, ...eventData(event) };
  if (event.type.startsWith('task:')) scope.outcome = event.type.slice(5);
  if (event.type === 'job:done') scope.result = event.result;
  return scope;
}

function compileTransitions(stateId: string, state: State) {
  const byEvent: Record<string, object[]> = {};
  for (const t of state.transitions) {
    const type = eventType(state, t.on ?? '');
    const actions =
      type === 'job:done'
        ? [{ type: 'applyResult', params: { state: stateId } }]
        : type.startsWith('task:') || type.startsWith('message:')
          ? ['mergeData']
          : [];
    const list = byEvent[type] ?? [];
    list.push(target(t, actions));
    byEvent[type] = list;
  }
  return byEvent;
}

function target(t: Transition, actions: unknown[]) {
  return {
    target: t.target,
    reenter: true,
    ...(t.guard ? { guard: { type: 'feel', params: { expr: t.guard } } } : {}),
    actions,
  };
}

function compileState(id: string, state: State) {
  const entry: unknown[] = [{ type: 'countVisit', params: { state: id } }];
  const exit: unknown[] = [];
  if (state.status) entry.push({ type: 'publishStatus', params: { label: state.status } });
  switch (state.kind) {
    case 'task':
      entry.push({ type: 'createTask', params: { state: id } });
      exit.push({ type: 'cancelTask', params: { state: id } });
      break;
    case 'service':
      entry.push({ type: 'enqueueJob', params: { state: id } });
      break;
    case 'timer':
      entry.push({ type: 'scheduleTimer', params: { state: id } });
      exit.push({ type: 'cancelTimer', params: { state: id } });
      break;
    default:
      break;
  }
  if ((state.kind === 'task' || state.kind === 'wait') && state.timeout) {
    entry.push({ type: 'scheduleTimer', params: { state: id } });
    exit.push({ type: 'cancelTimer', params: { state: id } });
  }
  if (state.kind === 'final') return { type: 'final' as const, entry };
  if (state.kind === 'decision') {
    return { entry, exit, always: state.transitions.map((t) => target(t, [])) };
  }
  return { entry, exit, on: compileTransitions(id, state) };
}

const noop = () => {};

/**
 * Compiles a definition to an XState v5 machine. Effects are named actions with params and no
 * implementation: `transition()` returns them and the runtime turns them into rows. Only variable
 * updates (`assign`) and FEEL guards are implemented here, both pure.
 */
export function compileDefinition(definition: Definition): AnyStateMachine {
  const states = Object.fromEntries(Object.entries(definition.states).map(([id, s]) => [id, compileState(id, s)]));
  return setup({
    types: {} as { context: CaseContext; events: CaseEvent; input: { vars: Record<string, unknown> } },
    actions: {
      createTask: noop,
      cancelTask: noop,
      enqueueJob: noop,
      scheduleTimer: noop,
      cancelTimer: noop,
      publishStatus: noop,
      countVisit: assign(({ context }, params: { state: string }) => ({
        visits: { ...context.visits, [params.state]: (context.visits[params.state] ?? 0) + 1 },
      })),
      mergeData: assign(({ context, event }) => ({ vars: { ...context.vars, ...eventData(event) } })),
      applyResult: assign(({ context, event }, params: { state: string }) => {
        const state = definition.states[params.state];
        if (state?.kind !== 'service' || event.type !== 'job:done') return {};
        const scope = { ...context.vars, result: event.result };
        const vars = { ...context.vars };
        for (const [name, expr] of Object.entries(state.result)) vars[name] = evaluateFeel(expr, scope);
        return { vars };
      }),
    },
    guards: {
      feel: ({ context, event }, params: { expr: string }) => evaluateGuard(params.expr, guardScope(context, event)),
    },
  }).createMachine({
    id: definition.key,
    context: ({ input }) => ({ vars: input.vars, visits: {} }),
    initial: definition.initial,
    // biome-ignore lint/suspicious/noExplicitAny: state configs are built from data; XState checks them at runtime
    states: states as any,
  });
}
