/**
 * B3 trading calendar, computed (never typed in by hand): weekends, fixed national holidays,
 * Carnival Monday and Tuesday, Good Friday and Corpus Christi (from Easter), Dec 24 and Dec 31.
 */

import { InvalidDateError } from './errors';

/** Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(Date.UTC(year, month - 1, day));
}

export interface Holiday {
  date: string;
  name: string;
}

const FIXED: [month: number, day: number, name: string, since?: number][] = [
  [1, 1, 'Confraternização Universal'],
  [4, 21, 'Tiradentes'],
  [5, 1, 'Dia do Trabalho'],
  [9, 7, 'Independência'],
  [10, 12, 'Nossa Senhora Aparecida'],
  [11, 2, 'Finados'],
  [11, 15, 'Proclamação da República'],
  [11, 20, 'Dia da Consciência Negra', 2024], // national holiday by Lei 14.759/2023
  [12, 24, 'Véspera de Natal'],
  [12, 25, 'Natal'],
  [12, 31, 'Último dia do ano'],
];

export function holidays(year: number): Holiday[] {
  const easter = Date.parse(`${easterSunday(year)}T00:00:00Z`);
  const fromEaster = (days: number) => iso(easter + days * 86_400_000);
  const list: Holiday[] = [
    ...FIXED.filter(([, , , since]) => !since || year >= since).map(([m, d, name]) => ({
      date: iso(Date.UTC(year, m - 1, d)),
      name,
    })),
    { date: fromEaster(-48), name: 'Carnaval (segunda)' },
    { date: fromEaster(-47), name: 'Carnaval (terça)' },
    { date: fromEaster(-2), name: 'Sexta-feira Santa' },
    { date: fromEaster(60), name: 'Corpus Christi' },
  ];
  return list.sort((x, y) => x.date.localeCompare(y.date));
}

/** Why a date is not a trading day, or undefined when B3 trades. */
export function nonTradingReason(date: string): string | undefined {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InvalidDateError('date', date);
  const weekday = new Date(ms).getUTCDay();
  if (weekday === 0 || weekday === 6) return weekday === 0 ? 'Sunday' : 'Saturday';
  return holidays(Number(date.slice(0, 4))).find((h) => h.date === date)?.name;
}

export function isTradingDay(date: string): boolean {
  return nonTradingReason(date) === undefined;
}

/** The last trading day on or before `date` (ISO): the last session of a month or year ending then. */
export function lastTradingDayUpTo(date: string): string {
  for (let day = Date.parse(`${date}T00:00:00Z`); ; day -= 86_400_000) {
    const iso = new Date(day).toISOString().slice(0, 10);
    if (isTradingDay(iso)) return iso;
  }
}

/** The last trading day before `date` (ISO). */
export function previousTradingDay(date: string): string {
  return lastTradingDayUpTo(new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
}

/** Today's date in America/Sao_Paulo (the business date of a run started now). */
export function saoPauloDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Sao_Paulo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
