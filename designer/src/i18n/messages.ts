/** A message catalogue's shape: the same keys in every language, strings at the leaves. */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };

/** German is the primary language and the fallback; English must have exactly the same keys. */
export function defineMessages<T extends object>(messages: { de: T; en: Catalogue<T> }) {
  return messages;
}
