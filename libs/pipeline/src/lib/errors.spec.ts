import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  InvalidDateError,
  ListingMismatchError,
  NotDailyTableError,
  PipelineError,
  PortfolioWithoutDateError,
  errorCode,
} from './errors';

const SRC = join(__dirname, '..');

/** Non-test sources: specs and test support may throw whatever they like. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'test-support'
        ? []
        : sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('pipeline errors', () => {
  it('no source throws a plain Error: every failure has a code', () => {
    const plain = sources(SRC).filter((file) => /\bnew (?:Range|Type)?Error\(/.test(readFileSync(file, 'utf8')));
    expect(plain.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('each error has its stable code and name', () => {
    const cases: [PipelineError, string][] = [
      [new InvalidDateError('date', 'x'), 'INVALID_DATE'],
      [new ListingMismatchError('acoes', 'fiis'), 'LISTING_MISMATCH'],
      [new PortfolioWithoutDateError('IBOV'), 'PORTFOLIO_WITHOUT_DATE'],
      [new NotDailyTableError(['ibov_raw'], ['sor_acoes']), 'NOT_DAILY_TABLE'],
    ];
    for (const [error, code] of cases) {
      expect({ code: error.code, retryable: error.retryable, name: error.name }).toEqual({
        code,
        retryable: false,
        name: error.constructor.name,
      });
    }
  });

  it('errorCode reads any code, UNEXPECTED when there is none', () => {
    expect(errorCode(new InvalidDateError('date', 'x'))).toBe('INVALID_DATE');
    expect(errorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(errorCode(new Error('x'))).toBe('UNEXPECTED');
    expect(errorCode(undefined)).toBe('UNEXPECTED');
  });
});
