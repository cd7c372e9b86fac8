import { type AnyActorScope, type AnyStateMachine, createActor } from 'xstate';
import { type CalendarSettings, dueDate } from '../calendar/working-days.ts';
import { type CaseContext, type CaseEvent, compileDefinition } from '../compiler/compile.ts';
import { type Definition, type Delay, type RetryPolicy, retryPolicySchema } from '../definition/definition.schema.ts';
import { evaluateFeel } from '../expressions/feel.ts';

/** A case's persisted machine state: plain JSON, restored with `machine.resolveState`. */
export type CaseSnapshot = { value: string; context: CaseContext; status: 'active' | 'done' };

/** A side effect of a step; the store writes it in the same transaction as the new snapshot. */
export type Effect =
  | { type: 'task.create'; state: string; title: string; group: string; dueAt: Date | null }
  | { type: 'task.cancel'; state: string }
  | {
      type: 'job.enqueue';
      state: string;
      connector: string;
      operation: string;
      input: Record<string, unknown>;
      idempotencyKey: string;
      retry: RetryPolicy;
    }
  | { type: 'timer.schedule'; state: string; dueAt: Date; visit: number }
  | { type: 'timer.cancel'; state: string }
  | { type: 'status'; label: string };

/** The outcome of one step: the new snapshot, its effects and where it went. */
export type StepResult = {
  snapshot: CaseSnapshot;
  effects: Effect[];
  from: string | null;
  to: string;
  /** The final state's outcome when the case ended with this step. */
  outcome: string | null;
};

/** Things a step needs from outside: the time and the tenant's working-day calendar. */
export type StepEnvironment = { now: Date; calendar: CalendarSettings; caseId: string };

/** The event is not one the case's current state takes (answered 409 at the API). */
export class EventNotAcceptedError extends Error {
  readonly code = 'event_not_accepted';
  constructor(
    readonly state: string,
    readonly eventType: string,
  ) {
    super(`Der Vorgang im Zustand „${state}“ nimmt das Ereignis „${eventType}“ nicht an`);
    this.name = 'EventNotAcceptedError';
  }
}

const DEFAULT_RETRY = retryPolicySchema.parse({});

type Action = { type: string; params?: unknown };

/** One compiled procedure version; advances cases with XState's pure transition functions. */
export class ProcedureRuntime {
  readonly machine: AnyStateMachine;
  /**
   * What XState's `transition()`/`initialTransition()` build anew on every call (an inert actor, whose eager
   * start without input fails and is thrown away): built once and reused, as the steps run synchronously one at
   * a time. The machine spawns no actors and has no delayed events, so the scope keeps no state between steps.
   */
  private readonly scope: AnyActorScope;
  private collected: Action[] = [];
  /** States with eventless transitions (decisions): a case resting in one is checked with `can()`. */
  private readonly eventless: Set<string>;

  constructor(readonly definition: Definition) {
    this.machine = compileDefinition(definition);
    const self = createActor(this.machine);
    this.scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: (action: Action) => {
        this.collected.push(action);
      },
    } as unknown as AnyActorScope;
    this.eventless = new Set(
      Object.entries(definition.states)
        .filter(([, state]) => state.kind === 'decision')
        .map(([id]) => id),
    );
  }

  /** Runs one pure XState step with the shared scope; returns the snapshot and the actions it emitted. */
  // biome-ignore lint/suspicious/noExplicitAny: XState's snapshot type of a data-built machine is not inferable
  private run(step: (scope: AnyActorScope) => any): [any, Action[]] {
    const actions: Action[] = [];
    this.collected = actions;
    try {
      return [step(this.scope), actions];
    } finally {
      this.collected = [];
    }
  }

  /** Starts a case from the application data (the definition's constants lie under it). */
  start(data: Record<string, unknown>, env: StepEnvironment, engineVars: Record<string, unknown> = {}): StepResult {
    const vars = { ...this.definition.constants, ...data, ...engineVars };
    const [snapshot, actions] = this.run((scope) => this.machine.getInitialSnapshot(scope, { vars }));
    return this.result(null, snapshot, actions, env);
  }

  /** True when the case's current state takes the event. */
  accepts(snapshot: CaseSnapshot, event: CaseEvent): boolean {
    return snapshot.status === 'active' && this.restore(snapshot).can(event);
  }

  /**
   * Advances a case by one event; throws EventNotAcceptedError when its state does not take the event. An event
   * the state does not take (no transition, or every guard false) leaves XState's snapshot object as it was, so
   * the step itself tells, without asking `can()` first — except in a state with eventless transitions, which
   * could move without the event.
   */
  send(snapshot: CaseSnapshot, event: CaseEvent, env: StepEnvironment): StepResult {
    if (snapshot.status !== 'active') throw new EventNotAcceptedError(snapshot.value, event.type);
    const restored = this.restore(snapshot);
    if (this.eventless.has(snapshot.value) && !restored.can(event))
      throw new EventNotAcceptedError(snapshot.value, event.type);
    const [next, actions] = this.run((scope) => this.machine.transition(restored, event, scope));
    if (next === restored) throw new EventNotAcceptedError(snapshot.value, event.type);
    return this.result(snapshot.value, next, actions, env);
  }

  private restore(snapshot: CaseSnapshot) {
    return this.machine.resolveState({ value: snapshot.value, context: snapshot.context });
  }

  private result(
    from: string | null,
    // biome-ignore lint/suspicious/noExplicitAny: XState's snapshot type of a data-built machine is not inferable
    snapshot: any,
    actions: readonly { type: string; params?: unknown }[],
    env: StepEnvironment,
  ): StepResult {
    const context = snapshot.context as CaseContext;
    const value = String(snapshot.value);
    const effects: Effect[] = [];
    for (const action of actions) {
      const params = (action.params ?? {}) as { state?: string; label?: string };
      const effect = this.effect(action.type, params, context, env);
      if (effect) effects.push(effect);
    }
    const state = this.definition.states[value];
    return {
      snapshot: { value, context, status: snapshot.status === 'done' ? 'done' : 'active' },
      effects,
      from,
      to: value,
      outcome: state?.kind === 'final' ? state.outcome : null,
    };
  }

  private due(delay: Delay, context: CaseContext, env: StepEnvironment): Date {
    return dueDate(env.now, delay, env.calendar, 'at' in delay ? evaluateFeel(delay.at, context.vars) : undefined);
  }

  private effect(
    type: string,
    params: { state?: string; label?: string },
    context: CaseContext,
    env: StepEnvironment,
  ): Effect | null {
    if (type === 'publishStatus' && params.label) return { type: 'status', label: params.label };
    const id = params.state;
    const state = id ? this.definition.states[id] : undefined;
    if (!id || !state) return null;
    const visit = context.visits[id] ?? 1;
    switch (type) {
      case 'createTask':
        if (state.kind !== 'task') return null;
        return {
          type: 'task.create',
          state: id,
          title: state.title,
          group: state.group,
          dueAt: state.due ? this.due(state.due, context, env) : null,
        };
      case 'cancelTask':
        return { type: 'task.cancel', state: id };
      case 'enqueueJob': {
        if (state.kind !== 'service') return null;
        const input: Record<string, unknown> = {};
        for (const [field, expr] of Object.entries(state.input)) input[field] = evaluateFeel(expr, context.vars);
        return {
          type: 'job.enqueue',
          state: id,
          connector: state.connector,
          operation: state.operation,
          input,
          idempotencyKey: `${env.caseId}:${id}:${visit}`,
          retry: state.retry ?? DEFAULT_RETRY,
        };
      }
      case 'scheduleTimer': {
        const delay = state.kind === 'timer' ? state.delay : 'timeout' in state ? state.timeout : undefined;
        if (!delay) return null;
        return { type: 'timer.schedule', state: id, dueAt: this.due(delay, context, env), visit };
      }
      case 'cancelTimer':
        return { type: 'timer.cancel', state: id };
      default:
        return null;
    }
  }
}
