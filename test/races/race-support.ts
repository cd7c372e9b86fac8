/** Mängelmelder categories and the triage step (and group) each one routes to. */
export const ROUTES = [
  { category: 'roadDamage', triage: 'triageBauhof', work: 'workBauhof', group: 'Bauhof' },
  { category: 'greenSpace', triage: 'triageGruenflaechenamt', work: 'workGruenflaechenamt', group: 'Grünflächenamt' },
  { category: 'illegalDumping', triage: 'triageOrdnungsamt', work: 'workOrdnungsamt', group: 'Ordnungsamt' },
] as const;

export type Route = (typeof ROUTES)[number];

/** A valid Mängelmelder application (no e-mail address, so no connector job follows a triage). */
export function defectReport(category: string, n: number): Record<string, unknown> {
  return {
    report: { category, description: `Meldung ${n}: Schaden am Gehweg, bitte prüfen.` },
    location: { kind: 'address', street: `Teststraße ${n}` },
  };
}

/** Runs `fn` over `items` with at most `limit` calls under way; the results keep the order of `items`. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
