import { temporal } from 'zundo';
import { create } from 'zustand';
import type { Definition } from '../../../engine/definition/definition.schema.ts';

/** What the inspector shows: a state, one of its transitions, or the procedure itself. */
export type Selection = { type: 'state'; id: string } | { type: 'transition'; stateId: string; index: number } | null;

export type EditorState = {
  /** The draft being edited; the only thing undo and redo restore. */
  definition: Definition | null;
  selection: Selection;
  /** Starts editing a definition with an empty history. */
  load(definition: Definition): void;
  /** Replaces the definition with the result of one edit (one undo step); unchanged results add no step. */
  apply(edit: (definition: Definition) => Definition, selection?: Selection): void;
  select(selection: Selection): void;
};

/**
 * The designer's store: the definition under undo/redo (zundo keeps up to 200 past definitions), the
 * selection beside it. Each call of `apply` is one step, so a typed title counts once, on commit.
 */
export function createEditorStore() {
  const store = create<EditorState>()(
    temporal(
      (set, get) => ({
        definition: null,
        selection: null,
        load(definition) {
          set({ definition, selection: null });
          store.temporal.getState().clear();
        },
        apply(edit, selection) {
          const current = get().definition;
          if (!current) return;
          const next = edit(current);
          if (next === current) return;
          set(selection === undefined ? { definition: next } : { definition: next, selection });
        },
        select(selection) {
          set({ selection });
        },
      }),
      {
        limit: 200,
        partialize: (state) => ({ definition: state.definition }),
        equality: (past, current) => past.definition === current.definition,
      },
    ),
  );
  return store;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

/** Undo and redo keep the selection only while the selected element still exists. */
export function undo(store: EditorStore) {
  store.temporal.getState().undo();
  keepSelectionValid(store);
}

export function redo(store: EditorStore) {
  store.temporal.getState().redo();
  keepSelectionValid(store);
}

function keepSelectionValid(store: EditorStore) {
  const { definition, selection } = store.getState();
  if (!selection || !definition) return;
  const state = definition.states[selection.type === 'state' ? selection.id : selection.stateId];
  const exists = selection.type === 'state' ? state : state?.transitions[selection.index];
  if (!exists) store.setState({ selection: null });
}
