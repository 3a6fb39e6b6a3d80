import { toDeadLetter } from './dead-letters';

describe('toDeadLetter', () => {
  it('keeps the typed error code, message and attempts', () => {
    const error = Object.assign(new Error('GET x failed with HTTP 500 after 4 attempt(s).'), {
      code: 'HTTP_ERROR',
      attempts: 4,
      retryable: true,
    });
    expect(toDeadLetter('PETR4', 'acoes', error, new Date('2022-05-24T21:00:00Z'))).toEqual({
      ticker: 'PETR4',
      kind: 'acoes',
      errorType: 'HTTP_ERROR',
      message: 'GET x failed with HTTP 500 after 4 attempt(s).',
      attempts: 4,
      retryable: true,
      at: '2022-05-24T21:00:00.000Z',
    });
  });
  it('copes with errors that are not Error objects', () => {
    expect(toDeadLetter('X', 'fiis', 'boom', new Date(0))).toMatchObject({
      errorType: 'Error',
      message: 'boom',
      attempts: 1,
      retryable: false,
    });
  });
});
