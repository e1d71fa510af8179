/**
 * Time: one injectable clock, UTC instants stored as ISO text, calendar dates in the business's
 * time zone. Tests move a manual clock instead of sleeping.
 */
import { invalid } from './errors.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string = '2026-01-15T09:00:00.000Z') {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
  set(instant: Date | string): void {
    this.#ms = new Date(instant).getTime();
  }
}

export const DEFAULT_TIMEZONE = 'Africa/Nairobi';

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// Building an Intl formatter costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

type LocalParts = { date: string; hour: number; minute: number; second: number };

// Zone offsets are whole seconds, so every instant within one UTC second has the same local parts:
// a burst of payments asks for the same second over and over, and formatting is the slow part.
const lastSecond = new Map<string, { second: number; parts: LocalParts }>();

/** Local wall-clock parts of an instant in a zone. */
export function localParts(instant: Date, zone: string): LocalParts {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastSecond.get(zone);
  if (last && last.second === second) return { ...last.parts };
  const parts = formatterFor(zone).formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  const local = {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
  };
  lastSecond.set(zone, { second, parts: local });
  return { ...local };
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date, zone: string): string {
  return localParts(instant, zone).date;
}

const zonedCache = new Map<string, number>();
const ZONED_CACHE_MAX = 10_000;

/** The UTC instant of a local wall-clock time in a zone (two passes handle DST-free and DST zones). */
export function zonedTimeToUtc(date: string, time: string, zone: string): Date {
  const key = `${zone}|${date}|${time}`;
  const cached = zonedCache.get(key);
  if (cached !== undefined) return new Date(cached);
  const result = computeZonedTimeToUtc(date, time, zone);
  if (zonedCache.size >= ZONED_CACHE_MAX) zonedCache.clear();
  zonedCache.set(key, result.getTime());
  return result;
}

function computeZonedTimeToUtc(date: string, time: string, zone: string): Date {
  const guess = new Date(`${date}T${time}Z`);
  let result = guess;
  for (let pass = 0; pass < 2; pass++) {
    const local = localParts(result, zone);
    const asUtc = new Date(`${local.date}T${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}:${String(local.second).padStart(2, '0')}Z`);
    result = new Date(result.getTime() + (guess.getTime() - asUtc.getTime()));
  }
  return result;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a YYYY-MM-DD calendar date. */
export function parseDate(input: unknown, field: string): string {
  if (typeof input !== 'string') throw invalid(field, 'must be a date (YYYY-MM-DD)');
  const text = input.trim();
  const match = DATE_ONLY.exec(text);
  if (!match) throw invalid(field, `"${text}" is not a date (YYYY-MM-DD)`);
  const probe = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, 10) !== text) throw invalid(field, `"${text}" is not a calendar date`);
  return text;
}

export function addDays(date: string, days: number): string {
  const probe = new Date(`${date}T00:00:00Z`);
  probe.setUTCDate(probe.getUTCDate() + days);
  return probe.toISOString().slice(0, 10);
}

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
