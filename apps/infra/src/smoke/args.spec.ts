import { DEFAULT_TICKERS, USAGE, UsageError, parseSmokeArgs, saoPauloDate } from './args';
import { cli } from './run';

const NOW = new Date('2026-11-28T02:30:00Z'); // 23:30 on Nov 27 in São Paulo

describe('smoke args', () => {
  it('defaults to stage dev, the three default tickers, today in São Paulo and 15 minutes', () => {
    expect(saoPauloDate(NOW)).toBe('2026-11-27');
    expect(parseSmokeArgs([], NOW)).toEqual({
      stage: 'dev',
      region: undefined,
      tickers: DEFAULT_TICKERS,
      date: '2026-11-27',
      anomesdia: 20261127,
      timeoutMs: 900_000,
    });
  });

  it('reads every option', () => {
    const options = parseSmokeArgs(
      [
        '--stage',
        'prod',
        '--region',
        'sa-east-1',
        '--tickers',
        'itub4:acoes, HGLG11 ,BPAC11:acoes',
        '--date',
        '2026-11-19',
        '--timeout-minutes',
        '0.5',
      ],
      NOW,
    );
    expect(options).toEqual({
      stage: 'prod',
      region: 'sa-east-1',
      tickers: [
        { ticker: 'ITUB4', kind: 'acoes' },
        { ticker: 'HGLG11', kind: 'fiis' },
        { ticker: 'BPAC11', kind: 'acoes' },
      ],
      date: '2026-11-19',
      anomesdia: 20261119,
      timeoutMs: 30_000,
    });
    expect(parseSmokeArgs(['--help'], NOW)).toBe('help');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
    [['--stage'], /argument missing/],
    [['--stage', 'Dev'], /--stage must be lower-case/],
    [['--region', 'Brazil'], /--region looks wrong/],
    [['--date', '2026-02-30'], /--date must be a date/],
    [['--date', '27/11/2026'], /--date must be a date/],
    [['--timeout-minutes', '0'], /--timeout-minutes must be a positive number/],
    [['--timeout-minutes', 'soon'], /--timeout-minutes must be a positive number/],
    [['--tickers', 'KNRI11'], /give the kind of KNRI11: KNRI11:acoes or KNRI11:fiis/],
    [['--tickers', 'PETR4:stocks'], /kind of PETR4 must be acoes or fiis/],
    [['--tickers', 'PETR4,,VALE3'], /empty entry/],
    [['--tickers', '../x:acoes'], /is not TICKER or TICKER:kind/],
    [['--tickers', 'PETR4,petr4:acoes'], /PETR4 is listed twice/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSmokeArgs(argv, NOW)).toThrow(UsageError);
    expect(() => parseSmokeArgs(argv, NOW)).toThrow(message);
  });
});

describe('smoke cli usage', () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const clients = jest.fn();
    const code = await cli(argv, { write: (l) => out.push(l), writeError: (l) => err.push(l), now: NOW, clients });
    return { code, out, err, clients };
  };

  it('prints the usage on --help and exits 0 without touching AWS', async () => {
    const { code, out, err, clients } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toEqual([USAGE.trimEnd()]);
    expect(err).toEqual([]);
    expect(clients).not.toHaveBeenCalled();
  });

  it('exits 2 with the reason on an unknown option or a bad value', async () => {
    const unknown = await run(['--stage', 'dev', '--verbose']);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/^smoke: Unknown option '--verbose'/);
    expect(unknown.err[1]).toBe('Run with --help for the options.');
    expect(unknown.clients).not.toHaveBeenCalled();
    const bad = await run(['--tickers', 'MXRF11']);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(/give the kind of MXRF11/);
  });
});
