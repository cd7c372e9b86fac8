/** A published procedure as the public catalogue lists it (`GET /api/procedures`). */
export type Service = {
  key: string;
  title: string;
  version: number;
  description?: string;
  category?: string;
  synonyms?: string[];
  fee?: string;
  duration?: string;
  requiresLogin?: boolean;
};

/** Lower case without diacritics and ß, so "Hundeanmeldung" and "hund anmelden" meet. */
export function normalise(text: string): string {
  return text.toLocaleLowerCase('de-DE').normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss');
}

/** Every word of the query appears in the title, a synonym, the category or the description. */
export function matches(service: Service, query: string): boolean {
  const words = normalise(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = normalise(
    [service.title, ...(service.synonyms ?? []), service.category ?? '', service.description ?? ''].join(' '),
  );
  return words.every((word) => haystack.includes(word));
}

/** Services grouped by life situation (category), groups and services in German alphabetical order. */
export function groupByLifeSituation(services: Service[], otherLabel: string): [string, Service[]][] {
  const groups = new Map<string, Service[]>();
  for (const service of services) {
    const key = service.category ?? otherLabel;
    groups.set(key, [...(groups.get(key) ?? []), service]);
  }
  const collator = new Intl.Collator('de-DE');
  return [...groups.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([name, list]) => [name, list.sort((x, y) => collator.compare(x.title, y.title))]);
}
