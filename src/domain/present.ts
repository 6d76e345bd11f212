/** Timestamps leave the domain as ISO strings, the same on every surface. */
export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);
