const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'AE', Ö: 'OE', Ü: 'UE', ẞ: 'SS' };

/** German umlauts as two letters (Ä → AE), other accents dropped (é → e), so names become ASCII. */
function transliterate(text: string): string {
  return text
    .replace(/[äöüßÄÖÜẞ]/g, (char) => UMLAUTS[char] ?? char)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Lowercase ASCII words joined by `-` ("Gebühr prüfen" → `gebuehr-pruefen`); may be empty. */
export function slugify(text: string): string {
  return transliterate(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const KEY = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * The procedure key for an imported process: its id when that already is a valid key (so exported models keep
 * their key), else a slug of its name or id (2..63 chars, starting with a letter); `verfahren` as last resort.
 */
export function procedureKey(processId: string, name: string | undefined): string {
  if (KEY.test(processId)) return processId;
  for (const candidate of [name, processId]) {
    if (!candidate) continue;
    const slug = slugify(candidate)
      .replace(/^[^a-z]+/, '')
      .slice(0, 63)
      .replace(/-+$/, '');
    if (KEY.test(slug)) return slug;
  }
  return 'verfahren';
}

/** Case number prefix from a title: its first three letters in upper-case ASCII, padded with X to two. */
export function caseNumberPrefix(title: string): string {
  return transliterate(title)
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .slice(0, 3)
    .padEnd(2, 'X');
}

/** A valid state id (`^[A-Za-z][A-Za-z0-9_-]{0,63}$`) derived from a BPMN id (an XML NCName). */
export function stateIdFromBpmnId(bpmnId: string): string {
  const cleaned = bpmnId.replace(/[^A-Za-z0-9_-]/g, '_');
  const prefixed = /^[A-Za-z]/.test(cleaned) ? cleaned : `s${cleaned}`;
  return prefixed.slice(0, 64);
}

/** Hands out ids that are unique within one document, appending `_2`, `_3`… on collision. */
export class IdAllocator {
  readonly #used = new Set<string>();

  reserve(id: string): void {
    this.#used.add(id);
  }

  has(id: string): boolean {
    return this.#used.has(id);
  }

  allocate(base: string, maxLength = 64): string {
    let candidate = base.slice(0, maxLength);
    for (let n = 2; this.#used.has(candidate); n++) {
      const suffix = `_${n}`;
      candidate = `${base.slice(0, maxLength - suffix.length)}${suffix}`;
    }
    this.#used.add(candidate);
    return candidate;
  }
}
