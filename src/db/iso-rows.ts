import { Column, is, SQL } from 'drizzle-orm';
import { PgTimestamp } from 'drizzle-orm/pg-core';

/** A row whose timestamps are ISO 8601 text, as answers write them, instead of `Date`s. */
export type WithIsoTimestamps<R> = { [K in keyof R]: R[K] extends Date ? string : R[K] extends Date | null ? string | null : R[K] };

/** One field of a flat drizzle select, as its prepared query lists them. */
interface SelectedField {
  path: string[];
  field: unknown;
}

const baseMapFromDriverValue = Column.prototype.mapFromDriverValue;

/**
 * A `timestamptz`'s text as PostgreSQL writes it to a UTC session ("2026-11-30 05:57:30.123456+00",
 * the fraction cut to what is not zero, absent when zero), as the ISO text `Date#toISOString`
 * would give: milliseconds, truncated like a `Date`. Any other form (another session time zone, a
 * year outside 1000–9999) goes through a `Date`.
 */
export function isoFromTimestampText(text: string): string {
  const length = text.length;
  if (length >= 22 && length <= 29 && text.charCodeAt(10) === 32 && text.endsWith('+00') && text.charCodeAt(4) === 45) {
    if (length === 22) return `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`;
    if (text.charCodeAt(19) === 46) {
      const fraction = text.slice(20, 23 < length - 3 ? 23 : length - 3);
      return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction.length === 3 ? fraction : fraction.padEnd(3, '0')}Z`;
    }
  }
  return new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

/**
 * One function that turns a flat select's rows, as the driver hands them in array mode, into
 * objects keyed like drizzle's, with timestamps as ISO text: no `Date` made and formatted again, no
 * per-column dispatch per row (drizzle's mapping was a sixth of a list page's CPU, bench/FINDINGS.md).
 * Columns whose driver value needs no mapping are copied; the others, and SQL values, use their own mapping.
 */
export function isoRowMapper<R>(fields: readonly SelectedField[]): (rows: unknown[][]) => WithIsoTimestamps<R>[] {
  const mappings: ((value: unknown) => unknown)[] = [];
  const properties = fields.map(({ path, field }, index) => {
    if (path.length !== 1 || !(is(field, Column) || is(field, SQL))) throw new Error(`isoRowMapper maps flat selects of columns and SQL values only, not ${path.join('.')}`);
    const value = `row[${index}]`;
    const key = JSON.stringify(path[0]);
    if (is(field, SQL)) {
      const { decoder } = field as unknown as { decoder: { mapFromDriverValue(value: unknown): unknown } };
      mappings[index] = (driverValue) => decoder.mapFromDriverValue(driverValue);
      return `${key}: ${value} === null ? null : mappings[${index}](${value})`;
    }
    if (is(field, PgTimestamp) && !field.withTimezone) throw new Error(`isoRowMapper reads timestamps with time zone only, not ${field.name}`);
    if (is(field, PgTimestamp)) return `${key}: ${value} === null ? null : isoText(${value})`;
    if (field.mapFromDriverValue === baseMapFromDriverValue) return `${key}: ${value}`;
    mappings[index] = (driverValue) => field.mapFromDriverValue(driverValue);
    return `${key}: ${value} === null ? null : mappings[${index}](${value})`;
  });
  // A literal object per row: every row gets the same hidden class, built without a loop over fields.
  const mapRow = new Function('mappings', 'isoText', `return (row) => ({ ${properties.join(', ')} });`)(mappings, isoFromTimestampText) as (row: unknown[]) => WithIsoTimestamps<R>;
  return (rows) => rows.map(mapRow);
}
