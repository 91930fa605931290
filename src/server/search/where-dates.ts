/**
 * Date presets, rewritten into plain comparisons as EspoCRM does:
 * - without `dateTime` (ItemGeneralConverter): compare with `YYYY-MM-DD` strings, "today" taken in
 *   `timeZone` when `date: true`, otherwise in the system time zone (UTC here);
 * - with `dateTime: true` (DefaultDateTimeItemTransformer): day boundaries are computed in `timeZone`
 *   (default UTC) and converted to UTC date-times.
 * Fiscal years start in month `fiscalYearShift + 1` (0 = January).
 */
import { BadRequest } from '../core/errors.js';
import { DATE_PATTERN, DATE_TIME_PATTERN, parseDate, parseDateTime } from '../core/time.js';

export const DATE_PRESETS = new Set([
  'today',
  'past',
  'future',
  'lastSevenDays',
  'lastXDays',
  'nextXDays',
  'olderThanXDays',
  'afterXDays',
  'currentMonth',
  'lastMonth',
  'nextMonth',
  'currentQuarter',
  'lastQuarter',
  'currentYear',
  'lastYear',
  'currentFiscalYear',
  'lastFiscalYear',
  'currentFiscalQuarter',
  'lastFiscalQuarter',
]);

/** Types whose value is a date that `dateTime: true` reinterprets in the time zone. */
export const DATE_VALUE_TYPES = new Set(['on', 'notOn', 'before', 'after', 'between']);

export type SimpleType = 'equals' | 'notEquals' | 'lessThan' | 'lessThanOrEquals' | 'greaterThan' | 'greaterThanOrEquals' | 'between' | 'notBetween';

/** A preset rewritten into a comparison. */
export interface SimpleItem {
  readonly type: SimpleType;
  readonly value: string | readonly [string, string];
}

export interface DateOptions {
  readonly now: Date;
  /** IANA zone; null = system time zone. */
  readonly timeZone: string | null;
  readonly systemTimeZone: string;
  readonly fiscalYearShift: number;
}

interface Local {
  y: number;
  m: number; // 1-12
  d: number;
  h: number;
  mi: number;
  s: number;
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');
const dateString = ({ y, m, d }: Local) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
const dateTimeString = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

/** Calendar arithmetic on local wall-clock values (overflow normalised like PHP's modify). */
function local(y: number, m: number, d: number, h = 0, mi = 0, s = 0): Local {
  const date = new Date(Date.UTC(y, m - 1, d, h, mi, s));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate(), h: date.getUTCHours(), mi: date.getUTCMinutes(), s: date.getUTCSeconds() };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let result = formatters.get(timeZone);
  if (!result) {
    try {
      result = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      throw new BadRequest('Bad timezone');
    }
    formatters.set(timeZone, result);
  }
  return result;
}

/** Wall-clock time of an instant in a zone. */
export function inZone(instant: Date, timeZone: string): Local {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), mi: Number(parts.minute), s: Number(parts.second) };
}

/** The instant at which a zone's wall clock shows `time` (the later one in a DST gap, like PHP). */
export function fromZone(time: Local, timeZone: string): Date {
  const asUtc = Date.UTC(time.y, time.m - 1, time.d, time.h, time.mi, time.s);
  const offsetAt = (instant: number) => {
    const wall = inZone(new Date(instant), timeZone);
    return Date.UTC(wall.y, wall.m - 1, wall.d, wall.h, wall.mi, wall.s) - instant;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}

/** Rewrites a date preset on a date attribute (no `dateTime`). */
export function datePreset(type: string, value: unknown, options: DateOptions): SimpleItem {
  const zone = options.timeZone ?? options.systemTimeZone;
  const today = inZone(options.now, zone);
  const day = (offset: number) => dateString(local(today.y, today.m, today.d + offset));
  const days = () => intval(value);
  const range = (from: Local, to: Local): SimpleItem => ({ type: 'between', value: [dateString(from), dateString(local(to.y, to.m, to.d - 1))] });
  switch (type) {
    case 'today':
      return { type: 'equals', value: day(0) };
    case 'past':
      return { type: 'lessThan', value: day(0) };
    case 'future':
      return { type: 'greaterThan', value: day(0) };
    case 'lastSevenDays':
      return { type: 'between', value: [day(-7), day(0)] };
    case 'lastXDays':
      return { type: 'between', value: [day(-days()), day(0)] };
    case 'nextXDays':
      return { type: 'between', value: [day(0), day(days())] };
    case 'olderThanXDays':
      return { type: 'lessThan', value: day(-days()) };
    case 'afterXDays':
      return { type: 'greaterThan', value: day(days()) };
    default: {
      // Month/quarter/year ranges use the system time zone in EspoCRM.
      const [from, to] = periodBounds(type, inZone(options.now, options.systemTimeZone), options.fiscalYearShift);
      return range(from, to);
    }
  }
}

/** Rewrites a preset or a date value on a date-time attribute (`dateTime: true`). */
export function dateTimePreset(type: string, value: unknown, options: DateOptions): SimpleItem {
  const zone = options.timeZone ?? options.systemTimeZone;
  const now = inZone(options.now, zone);
  const utc = (time: Local) => dateTimeString(fromZone(time, zone));
  const startOfDay = (offset: number) => utc(local(now.y, now.m, now.d + offset));
  const endOfDay = (offset: number) => utc(local(now.y, now.m, now.d + offset, 23, 59, 59));
  const nowUtc = dateTimeString(options.now);
  switch (type) {
    case 'today':
      return { type: 'between', value: [startOfDay(0), endOfDay(0)] };
    case 'past':
      return { type: 'lessThanOrEquals', value: nowUtc };
    case 'future':
      return { type: 'greaterThan', value: nowUtc };
    case 'lastSevenDays':
      return { type: 'between', value: [startOfDay(-7), nowUtc] };
    case 'lastXDays':
      return { type: 'between', value: [startOfDay(-intval(value)), nowUtc] };
    case 'nextXDays':
      // EspoCRM calls setTime(24, 59, 59), which spills into the next day; the end of the day is meant.
      return { type: 'between', value: [nowUtc, endOfDay(intval(value))] };
    case 'olderThanXDays':
      return { type: 'lessThan', value: startOfDay(-intval(value)) };
    case 'afterXDays':
      return { type: 'greaterThanOrEquals', value: startOfDay(intval(value)) };
    case 'on':
    case 'notOn':
    case 'before':
    case 'after':
    case 'between':
      return dateValueItem(type, value, zone);
    default: {
      const [from, to] = periodBounds(type, now, options.fiscalYearShift);
      return { type: 'between', value: [utc(from), dateTimeString(new Date(fromZone(to, zone).getTime() - 1000))] };
    }
  }
}

function dateValueItem(type: string, value: unknown, zone: string): SimpleItem {
  const parse = (raw: unknown) => {
    if (typeof raw !== 'string' || raw === '') throw new BadRequest('Bad date value or timezone.');
    const dateOnly = DATE_PATTERN.exec(raw);
    const dateTime = DATE_TIME_PATTERN.exec(raw);
    const parts = (dateOnly ?? dateTime)?.slice(1).map((part) => Number(part ?? 0));
    if (!parts) throw new BadRequest('Bad date value or timezone.');
    // A pattern match is not a date: 2026-13-45 would roll over into 2027.
    if ((dateOnly ? parseDate(raw) : parseDateTime(raw)) === null) throw new BadRequest('Bad date value or timezone.');
    const [y, m, d, h = 0, mi = 0, s = 0] = parts as number[];
    return { start: fromZone(local(y!, m!, d!, h, mi, s), zone), dateOnly: Boolean(dateOnly), end: fromZone(local(y!, m!, d!, 23, 59, 59), zone) };
  };
  if (type === 'between') {
    if (!Array.isArray(value) || value.length < 2) throw new BadRequest('Bad where item. Bad value.');
    const from = parse(value[0]);
    const to = parse(value[1]);
    return { type: 'between', value: [dateTimeString(from.start), dateTimeString(to.dateOnly ? to.end : to.start)] };
  }
  const parsed = parse(value);
  const end = dateTimeString(parsed.dateOnly ? parsed.end : parsed.start);
  switch (type) {
    case 'before':
      return { type: 'lessThan', value: dateTimeString(parsed.start) };
    case 'after':
      return { type: 'greaterThan', value: end };
    default:
      // on / notOn: the whole day (a date) or the instant (a date-time). EspoCRM passes notOn through
      // unconverted; excluding the same span `on` selects is what the item means.
      return { type: type === 'on' ? 'between' : 'notBetween', value: [dateTimeString(parsed.start), end] };
  }
}

/** [first day, first day after] of a month/quarter/year period containing `today`, as local midnights. */
function periodBounds(type: string, today: Local, fiscalYearShift: number): [Local, Local] {
  const month = (y: number, m: number, count: number): [Local, Local] => [local(y, m, 1), local(y, m + count, 1)];
  const quarterStart = Math.floor((today.m - 1) / 3) * 3 + 1;
  const fiscalStart = today.m < fiscalYearShift + 1 ? local(today.y - 1, fiscalYearShift + 1, 1) : local(today.y, fiscalYearShift + 1, 1);
  const fiscalQuarter = local(today.y, fiscalYearShift + 1 + Math.floor((today.m - fiscalYearShift - 1) / 3) * 3, 1);
  switch (type) {
    case 'currentMonth':
      return month(today.y, today.m, 1);
    case 'lastMonth':
      return month(today.y, today.m - 1, 1);
    case 'nextMonth':
      return month(today.y, today.m + 1, 1);
    case 'currentQuarter':
      return month(today.y, quarterStart, 3);
    case 'lastQuarter':
      return month(today.y, quarterStart - 3, 3);
    case 'currentYear':
      return month(today.y, 1, 12);
    case 'lastYear':
      return month(today.y - 1, 1, 12);
    case 'currentFiscalYear':
      return month(fiscalStart.y, fiscalStart.m, 12);
    case 'lastFiscalYear':
      return month(fiscalStart.y - 1, fiscalStart.m, 12);
    case 'currentFiscalQuarter':
      return month(fiscalQuarter.y, fiscalQuarter.m, 3);
    case 'lastFiscalQuarter':
      return month(fiscalQuarter.y, fiscalQuarter.m - 3, 3);
    default:
      throw new Error(`Not a period preset: ${type}`);
  }
}

/** PHP intval for the X in lastXDays & co. */
function intval(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string') {
    const match = /^\s*([+-]?\d+)/.exec(value);
    return match ? Number.parseInt(match[1]!, 10) : 0;
  }
  return 0;
}
