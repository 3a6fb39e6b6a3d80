import { SERVE_HELP, ServeUsageError, parseServeArgs } from './serve-args';

describe('nx run replay:serve arguments', () => {
  it('start the fixtures on port 8080 by default, without faults', () => {
    expect(parseServeArgs([])).toEqual({
      help: false,
      port: 8080,
      options: expect.objectContaining({
        fixturesDir: 'tools/fixtures',
        syntheticTickers: 0,
        ownValues: false,
        faultRate: 0,
        permanentFailures: [],
        seed: 42,
      }),
    });
  });

  it('take every option of the server', () => {
    const args = parseServeArgs(
      [
        '--port',
        '0',
        '--synthetic',
        '1400',
        '--latency',
        '100',
        '--fault-rate',
        '0.2',
        '--faults',
        '500,timeout',
      ].concat([
        '--fail',
        'VALE3,MXRF11',
        '--stall',
        'ITUB4',
        '--own-values',
        '--quote-date',
        '2022-05-24',
        '--seed',
        '7',
        '--today',
        '2022-05-25',
        '--cotahist-html',
        'COTAHIST_D25052022.ZIP',
        '--cotahist-truncated',
        'cotahist_a2021.zip,COTAHIST_M042022.ZIP',
        '--proventos-changed',
        'petr4,HGLG11',
      ]),
    );
    expect(args).toEqual({
      help: false,
      port: 0,
      options: expect.objectContaining({
        syntheticTickers: 1400,
        latencyMs: 100,
        faultRate: 0.2,
        faultKinds: ['500', 'timeout'],
        permanentFailures: ['VALE3', 'MXRF11'],
        stalls: ['ITUB4'],
        ownValues: true,
        quoteDate: '2022-05-24',
        seed: 7,
        today: '2022-05-25',
        cotahistHtml: ['COTAHIST_D25052022.ZIP'],
        cotahistTruncated: ['COTAHIST_A2021.ZIP', 'COTAHIST_M042022.ZIP'],
        proventosChanged: ['PETR4', 'HGLG11'],
      }),
    });
  });

  it('describe every option in --help, with how to point b3lake run at the server', () => {
    expect(parseServeArgs(['--help'])).toEqual({ help: true });
    expect(parseServeArgs(['-h'])).toEqual({ help: true });
    const documented = [...SERVE_HELP.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(documented).toEqual([
      '--port',
      '--fixtures',
      '--synthetic',
      '--own-values',
      '--quote-date',
      '--today',
      '--cotahist-html',
      '--cotahist-truncated',
      '--proventos-changed',
      '--latency',
      '--fault-rate',
      '--faults',
      '--max-faults-per-url',
      '--retry-after',
      '--fail',
      '--stall',
      '--seed',
    ]);
    expect(SERVE_HELP).toMatch(/npx b3lake run --date 2022-05-24 --fundamentus-url http:\/\/127\.0\.0\.1:8080/);
    for (const line of SERVE_HELP.split('\n')) expect(line.length).toBeLessThanOrEqual(110);
  });

  it('refuse unknown options and values the server cannot use, saying which', () => {
    const refused = (argv: string[]) => {
      try {
        parseServeArgs(argv);
      } catch (error) {
        return error instanceof ServeUsageError ? error.message : `not a usage error: ${error}`;
      }
      return 'accepted';
    };
    expect(refused(['--nope'])).toMatch(/Unknown option '--nope'/);
    expect(refused(['--latency', 'abc'])).toBe('--latency abc: expected a whole number ≥ 0');
    expect(refused(['--fault-rate', '2'])).toBe('--fault-rate 2: expected a number from 0 to 1');
    expect(refused(['--faults', '500,boom'])).toMatch(/--faults: unknown boom/);
    expect(refused(['--quote-date', '24/05/2022'])).toBe('--quote-date 24/05/2022: expected YYYY-MM-DD');
    expect(refused(['--today', '2022-5-1'])).toBe('--today 2022-5-1: expected YYYY-MM-DD');
    expect(refused(['--cotahist-html', 'COTAHIST_A2021.TXT,x.zip'])).toMatch(
      /^--cotahist-html: not a COTAHIST zip name: COTAHIST_A2021.TXT, x.zip/,
    );
    expect(refused(['--proventos-changed', 'PETR4,a b'])).toBe(
      '--proventos-changed: not a ticker: A B (expected e.g. PETR4,HGLG11)',
    );
    expect(refused(['--port', '70000'])).toBe('--port 70000: expected a whole number from 0 to 65535');
  });
});
