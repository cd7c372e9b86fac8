import { useEffect, useRef } from 'react';

/** One keyboard shortcut: the key as `KeyboardEvent.key` (with `ctrl` for Ctrl/Cmd), what it does. */
export type Shortcut = { key: string; ctrl?: boolean; run(event: KeyboardEvent): void };

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Page-wide single-key shortcuts. Plain keys never fire while the user types in a field or a dialog is open,
 * so letters stay letters; Ctrl/Cmd shortcuts fire everywhere on the page.
 */
export function useShortcuts(shortcuts: Shortcut[]) {
  const current = useRef(shortcuts);
  current.current = shortcuts;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const ctrl = event.ctrlKey || event.metaKey;
      if (event.altKey || event.defaultPrevented) return;
      if (!ctrl && (typing(event.target) || document.querySelector('dialog[open]'))) return;
      const match = current.current.find((s) => s.key === event.key && Boolean(s.ctrl) === ctrl);
      if (!match) return;
      event.preventDefault();
      match.run(event);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
