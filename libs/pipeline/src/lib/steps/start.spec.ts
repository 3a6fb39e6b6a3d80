import { InvalidDateError, assertAnomesdia, fromAnomesdia, startRun, toAnomesdia } from './start';

const at = (iso: string) => ({ now: () => new Date(iso) });

describe('startRun', () => {
  it('fixes D as today in America/Sao_Paulo', () => {
    expect(startRun(at('2022-05-24T21:45:00Z'))).toEqual({
      skipped: false,
      businessDate: '2022-05-24',
      anomesdia: 20220524,
    });
    // 00:30 UTC on the 25th is still the 24th in São Paulo.
    expect(startRun(at('2022-05-25T00:30:00Z'))).toMatchObject({ businessDate: '2022-05-24' });
  });
  it('skips weekends and holidays with the reason', () => {
    expect(startRun(at('2022-05-24T12:00:00Z'), '2022-02-28')).toEqual({
      skipped: true,
      businessDate: '2022-02-28',
      reason: '2022-02-28 is not a B3 trading day (Carnaval (segunda))',
    });
  });
  it('converts between ISO dates and anomesdia_exec', () => {
    expect(toAnomesdia('2022-05-24')).toBe(20220524);
    expect(fromAnomesdia(20220524)).toBe('2022-05-24');
  });
  it('rejects a given date that is not a real day, with a typed error naming the value', () => {
    for (const bad of ['2026-02-30', '27/11/2026', '2026-11-27T00:00', '']) {
      expect(() => startRun(at('2022-05-24T12:00:00Z'), bad)).toThrow(InvalidDateError);
    }
    expect(() => startRun(at('2022-05-24T12:00:00Z'), 'tomorrow')).toThrow(
      /Invalid date "tomorrow": expected an ISO date YYYY-MM-DD/,
    );
  });
  it('checks anomesdia values: integers yyyymmdd of real days only', () => {
    expect(assertAnomesdia(20261127)).toBe(20261127);
    for (const bad of [20261131, 2026112, '20261127', 20261127.5, null])
      expect(() => assertAnomesdia(bad)).toThrow(InvalidDateError);
  });
});
