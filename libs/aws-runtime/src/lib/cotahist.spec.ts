import { InvalidCotahistEventError, parseCotahistEvent } from './cotahist';

describe('parseCotahistEvent', () => {
  it('takes the scheduler’s empty event, a year, a file, a date, with force', () => {
    expect(parseCotahistEvent({})).toEqual({});
    expect(parseCotahistEvent(undefined)).toEqual({});
    expect(parseCotahistEvent({ year: 2021 })).toEqual({ year: 2021 });
    expect(parseCotahistEvent({ file: 'COTAHIST_M032021.ZIP', force: true })).toEqual({
      file: 'COTAHIST_M032021.ZIP',
      force: true,
    });
  });

  it('names what is wrong, and refuses two requests in one event', () => {
    expect(() => parseCotahistEvent({ year: 1985 })).toThrow(InvalidCotahistEventError);
    expect(() => parseCotahistEvent({ year: '2021' })).toThrow(/year: expected a year from 1986/);
    expect(() => parseCotahistEvent({ year: 2021, date: '2021-03-26' })).toThrow(/one of file, year and date/);
    expect(() => parseCotahistEvent('COTAHIST_A2021.ZIP')).toThrow(/a JSON object/);
  });
});
