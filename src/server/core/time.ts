/** EspoCRM's wire and storage formats: date-times `YYYY-MM-DD HH:MM:SS` in UTC, dates `YYYY-MM-DD`. */

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

export function formatDateTime(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

export function formatDate(date: Date): string {
  return formatDateTime(date).slice(0, 10);
}

export const DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;
export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a UTC date-time (seconds optional); null when malformed or not a real calendar time. */
export function parseDateTime(value: string): Date | null {
  const match = DATE_TIME_PATTERN.exec(value);
  if (!match) {
    return null;
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s));
  return formatDateTime(date).slice(0, 16) === value.slice(0, 16) ? date : null;
}

export function parseDate(value: string): Date | null {
  if (!DATE_PATTERN.test(value)) {
    return null;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && formatDate(date) === value ? date : null;
}
