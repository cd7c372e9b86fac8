import { useCallback, useState } from 'react';

const KEY = 'verfahrenswerk.inbox.auswahl';

function stored(): string[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** The checked tasks of the list; kept for the browser tab (sessionStorage), so a reload keeps the selection. */
export function useSelection() {
  const [selected, setState] = useState<string[]>(stored);
  const set = useCallback((next: string[]) => {
    sessionStorage.setItem(KEY, JSON.stringify(next));
    setState(next);
  }, []);
  const toggle = useCallback(
    (id: string) => set(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]),
    [selected, set],
  );
  return { selected, set, toggle };
}
