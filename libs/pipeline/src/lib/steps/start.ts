import { nonTradingReason, saoPauloDate } from '../calendar';
import type { Clock } from '../ports';

export interface RunDate {
  /** Business date D, ISO; fixed once at start, never re-read from the clock. */
  businessDate: string;
  /** D as the `anomesdia_exec` partition value (yyyymmdd). */
  anomesdia: number;
}

export type StartResult = ({ skipped: false } & RunDate) | { skipped: true; businessDate: string; reason: string };

/** Fixes business date D (today in America/Sao_Paulo unless given) and skips non-trading days. */
export function startRun(clock: Clock, date?: string): StartResult {
  const businessDate = date ?? saoPauloDate(clock.now());
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
