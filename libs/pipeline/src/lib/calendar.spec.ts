import { InvalidDateError } from './errors';
import {
  easterSunday,
  holidays,
  isTradingDay,
  lastTradingDayUpTo,
  nonTradingReason,
  previousTradingDay,
  saoPauloDate,
} from './calendar';

describe('B3 calendar', () => {
  it.each([
    [2022, '2022-04-17'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2038, '2038-04-25'],
  ])('computes Easter %i as %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('derives Carnival, Good Friday and Corpus Christi from Easter (2022)', () => {
    const dates = holidays(2022).map((h) => `${h.date} ${h.name}`);
    expect(dates).toEqual(
      expect.arrayContaining([
        '2022-02-28 Carnaval (segunda)',
        '2022-03-01 Carnaval (terça)',
        '2022-04-15 Sexta-feira Santa',
        '2022-06-16 Corpus Christi',
      ]),
    );
  });

  it('closes on Dec 24 and Dec 31, and on Nov 20 from 2024', () => {
    expect(nonTradingReason('2025-12-24')).toBe('Véspera de Natal');
    expect(nonTradingReason('2025-12-31')).toBe('Último dia do ano');
    expect(isTradingDay('2023-11-20')).toBe(true);
    expect(nonTradingReason('2024-11-20')).toBe('Dia da Consciência Negra');
  });

  it('skips weekends and trades on ordinary weekdays', () => {
    expect(nonTradingReason('2022-05-28')).toBe('Saturday');
    expect(nonTradingReason('2022-05-29')).toBe('Sunday');
    expect(isTradingDay('2022-05-24')).toBe(true);
  });

  it('rejects a malformed date', () => {
    expect(() => nonTradingReason('24/05/2022')).toThrow(InvalidDateError);
  });

  it('takes the business date in America/Sao_Paulo, not UTC', () => {
    expect(saoPauloDate(new Date('2022-05-25T02:30:00Z'))).toBe('2022-05-24');
    expect(saoPauloDate(new Date('2022-05-24T21:45:00Z'))).toBe('2022-05-24');
  });

  it("finds a period's last session and the session before a day", () => {
    expect(lastTradingDayUpTo('2021-12-31')).toBe('2021-12-30'); // Dec 31 is not a session
    expect(lastTradingDayUpTo('2021-02-28')).toBe('2021-02-26'); // a Sunday
    expect(lastTradingDayUpTo('2021-03-26')).toBe('2021-03-26');
    expect(previousTradingDay('2026-11-30')).toBe('2026-11-27'); // Monday → Friday
    expect(previousTradingDay('2021-04-05')).toBe('2021-04-01'); // over Good Friday
  });
});
