import { InvalidTickerError } from '../errors';

const TICKER = /^[A-Z0-9]{4,7}$/;

/** Validates a ticker before any request: 4–7 upper-case letters and digits (PETR4, MRSA3B, ANCR11B). */
export function assertTicker(ticker: string): string {
  if (typeof ticker !== 'string' || !TICKER.test(ticker)) throw new InvalidTickerError(String(ticker));
  return ticker;
}

export function isTicker(ticker: string): boolean {
  return TICKER.test(ticker);
}
