const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Timestamps leave the domain as ISO strings, the same on every surface. Written by hand because
 * `Date#toISOString` costs twice as much, and a list page writes 150 of them (bench/FINDINGS.md).
 * Years outside 1000–9999 (never stored here) fall back to toISOString. Rows read for presenting
 * only (db/iso-rows.ts) bring their timestamps as ISO text already.
 */
export function iso(date: Date | string): string {
  if (typeof date === 'string') return date;
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return date.toISOString();
  const ms = date.getUTCMilliseconds();
  return `${year}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}.${ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : ms}Z`;
}

export const isoOrNull = (date: Date | string | null) => (date ? iso(date) : null);
