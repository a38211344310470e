import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { TesseraError } from '../http/errors.js';

/**
 * Schedules read by cron-parser: five fields (minute hour day-of-month month day-of-week) or one
 * of its @-names, in an IANA timezone (daylight-saving changes as the library resolves them).
 * A seconds field is refused: a flow runs at most once a minute per trigger.
 */
export interface Schedule {
  cron: string;
  timezone: string;
}

const ALIASES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly', '@minutely', '@weekdays', '@weekends'];

function invalid(message: string, field: 'cron' | 'timezone'): never {
  throw new TesseraError('TRIGGER_INVALID', message, { field });
}

/** A known IANA timezone name (as Intl knows it), in its canonical spelling. */
function checkTimezone(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return invalid(`"${timezone.slice(0, 64)}" is not a timezone Tessera knows: use an IANA name such as UTC, Europe/Berlin or America/New_York.`, 'timezone');
  }
}

function expression(schedule: Schedule, at: number): CronExpression {
  return CronExpressionParser.parse(schedule.cron, { currentDate: at, tz: schedule.timezone });
}

/** Checks a cron expression and timezone (400 TRIGGER_INVALID with a sentence) and returns them tidied. */
export function parseSchedule(cron: string, timezone: string): Schedule {
  const text = cron.trim().replace(/\s+/g, ' ');
  if (text === '') invalid('Give a cron expression, such as "0 9 * * 1" (Mondays at 9:00).', 'cron');
  if (text.length > 120) invalid('The cron expression is too long (at most 120 characters).', 'cron');
  const fields = text.split(' ');
  if (text.startsWith('@') ? !ALIASES.includes(text.toLowerCase()) || fields.length !== 1 : fields.length !== 5) {
    invalid(
      `"${text.slice(0, 120)}" is not a cron expression Tessera accepts: give five fields (minute hour day-of-month month day-of-week, e.g. "*/15 * * * *") or one of ${ALIASES.join(', ')}.`,
      'cron',
    );
  }
  const schedule = { cron: text.startsWith('@') ? text.toLowerCase() : text, timezone: checkTimezone(timezone.trim() || 'UTC') };
  try {
    expression(schedule, Date.now()).next();
  } catch (err) {
    invalid(`"${text.slice(0, 120)}" is not a valid cron expression: ${(err as Error).message}.`, 'cron');
  }
  return schedule;
}

/** The first `count` due times strictly after `after` (ms). */
export function dueTimesAfter(schedule: Schedule, after: number, count: number): number[] {
  const times: number[] = [];
  try {
    const e = expression(schedule, after);
    for (let i = 0; i < count && e.hasNext(); i++) times.push(e.next().getTime());
  } catch {
    // An expression that stopped resolving (loop limit) has no further due time.
  }
  return times;
}

export function nextDueAfter(schedule: Schedule, after: number): number | null {
  return dueTimesAfter(schedule, after, 1)[0] ?? null;
}

/** The latest due time at or before `now`, or null. */
export function latestDueAtOrBefore(schedule: Schedule, now: number): number | null {
  try {
    const e = expression(schedule, now + 1);
    return e.hasPrev() ? e.prev().getTime() : null;
  } catch {
    return null;
  }
}

/** How many due times lie in [from, until) (at most `cap`, the cost of counting is bounded). */
export function countDueBetween(schedule: Schedule, from: number, until: number, cap = 1000): number {
  let n = 0;
  try {
    const e = expression(schedule, from - 1);
    while (n < cap && e.hasNext()) {
      if (e.next().getTime() >= until) break;
      n++;
    }
  } catch {
    return n;
  }
  return n;
}
