import { nonTradingReason, saoPauloDate } from '../calendar';
import { InvalidDateError } from '../errors';
import type { Clock } from '../ports';

export interface RunDate {
  /** Business date D, ISO; fixed once at start, never re-read from the clock. */
  businessDate: string;
  /** D as the `anomesdia_exec` partition value (yyyymmdd). */
  anomesdia: number;
}

export type StartResult = ({ skipped: false } & RunDate) | { skipped: true; businessDate: string; reason: string };

export { InvalidDateError };

/** Whether `YYYY-MM-DD` names a real day (2026-02-30 does not). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Checks an ISO date given from outside; throws InvalidDateError. */
export function assertIsoDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) throw new InvalidDateError('date', value);
  return value;
}

/** Checks an `anomesdia_exec` value given from outside (yyyymmdd of a real day); throws InvalidDateError. */
export function assertAnomesdia(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || !isCalendarDate(fromAnomesdia(value)))
    throw new InvalidDateError('anomesdia', value);
  return value;
}

/**
 * Fixes business date D (today in America/Sao_Paulo unless given) and skips non-trading days.
 * A given date that is not a real day throws InvalidDateError.
 */
export function startRun(clock: Clock, date?: string): StartResult {
  const businessDate = date === undefined ? saoPauloDate(clock.now()) : assertIsoDate(date);
  const reason = nonTradingReason(businessDate);
  if (reason) return { skipped: true, businessDate, reason: `${businessDate} is not a B3 trading day (${reason})` };
  return { skipped: false, businessDate, anomesdia: toAnomesdia(businessDate) };
}

export function toAnomesdia(isoDate: string): number {
  return Number(isoDate.replace(/-/g, ''));
}

export function fromAnomesdia(anomesdia: number): string {
  const s = String(anomesdia);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}
