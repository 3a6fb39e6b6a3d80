import { toDeadLetter } from './dead-letters';
import { ListingMismatchError } from './errors';

describe('toDeadLetter', () => {
  it('keeps the typed error code (also as errorType, for older readers), message and attempts', () => {
    const error = Object.assign(new Error('GET x failed with HTTP 500 after 4 attempt(s).'), {
      code: 'HTTP_ERROR',
      attempts: 4,
      retryable: true,
    });
    expect(toDeadLetter('PETR4', 'acoes', error, new Date('2022-05-24T21:00:00Z'))).toEqual({
      ticker: 'PETR4',
      kind: 'acoes',
      code: 'HTTP_ERROR',
      errorType: 'HTTP_ERROR',
      message: 'GET x failed with HTTP 500 after 4 attempt(s).',
      attempts: 4,
      retryable: true,
      at: '2022-05-24T21:00:00.000Z',
    });
  });

  it("records the pipeline's own codes", () => {
    expect(toDeadLetter('X', 'fiis', new ListingMismatchError('fiis', 'acoes'), new Date(0))).toMatchObject({
      code: 'LISTING_MISMATCH',
      errorType: 'LISTING_MISMATCH',
      message: 'fiis listing URL served the acoes table',
    });
  });

  it('gives an uncoded error the code UNEXPECTED, never errorType "Error"', () => {
    expect(toDeadLetter('X', 'fiis', 'boom', new Date(0))).toMatchObject({
      code: 'UNEXPECTED',
      errorType: 'UNEXPECTED',
      message: 'boom',
      attempts: 1,
      retryable: false,
    });
    expect(toDeadLetter('X', 'fiis', new Error('plain'), new Date(0))).toMatchObject({
      code: 'UNEXPECTED',
      errorType: 'UNEXPECTED',
      message: 'plain',
    });
    expect(toDeadLetter('X', 'fiis', new TypeError('x is undefined'), new Date(0))).toMatchObject({
      code: 'UNEXPECTED',
      message: 'TypeError: x is undefined',
    });
  });
});
