import { InvalidJobError, parseExtractJob } from './schemas';

const body = (value: unknown) => JSON.stringify(value);

describe('parseExtractJob', () => {
  it('reads the job list sends', () => {
    expect(parseExtractJob(body({ ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 }))).toEqual({
      ticker: 'PETR4',
      kind: 'acoes',
      anomesdia: 20220524,
    });
  });

  it.each([
    ['not JSON', '{"ticker": "PETR4"', 'SQS message body: expected JSON, got "{\\"ticker\\": \\"PETR4\\""'],
    ['not an object', 'null', 'SQS message body: expected a JSON object { ticker, kind, anomesdia }, got null'],
    [
      'a bad ticker and kind',
      body({ ticker: '../x', kind: 'bdr', anomesdia: 20220524 }),
      'SQS message body: ticker: expected 4–7 upper-case letters and digits, e.g. PETR4, got "../x"; ' +
        'kind: expected "acoes" or "fiis", got "bdr"',
    ],
    [
      'a missing date',
      body({ ticker: 'PETR4', kind: 'acoes' }),
      'SQS message body: anomesdia: missing, expected an 8-digit integer yyyymmdd',
    ],
    [
      'a date that is not yyyymmdd',
      body({ ticker: 'PETR4', kind: 'acoes', anomesdia: '2022-05-24' }),
      'SQS message body: anomesdia: expected an 8-digit integer yyyymmdd, got "2022-05-24"',
    ],
    [
      'a date of 6 digits',
      body({ ticker: 'PETR4', kind: 'acoes', anomesdia: 202205 }),
      'SQS message body: anomesdia: expected an 8-digit integer yyyymmdd, got 202205',
    ],
  ])('rejects %s with an InvalidJobError naming what is wrong', (_, text, message) => {
    expect(() => parseExtractJob(text)).toThrow(new InvalidJobError(message));
    expect(() => parseExtractJob(text)).toThrow(expect.objectContaining({ name: 'InvalidJobError' }));
  });

  it("refuses a job of the other kind on a kind's queue, with a code for the dead letters", () => {
    expect(() => parseExtractJob(body({ ticker: 'HGLG11', kind: 'fiis', anomesdia: 20220524 }), 'acoes')).toThrow(
      expect.objectContaining({
        name: 'InvalidJobError',
        code: 'INVALID_JOB',
        message: 'SQS message body: kind: expected "acoes" (this queue\'s kind), got "fiis"',
      }),
    );
  });
});
