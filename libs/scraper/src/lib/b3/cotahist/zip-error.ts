import { ScraperError } from '../../errors';

/** What is wrong with a zip: cut short, not one .TXT file, a feature not read here, or damaged bytes. */
export type CotahistZipProblem = 'truncated' | 'entries' | 'unsupported' | 'corrupt';

/** A COTAHIST zip that cannot be read in full and verified; `problem` says why. */
export class CotahistZipError extends ScraperError {
  readonly code = 'COTAHIST_ZIP';
  constructor(
    readonly problem: CotahistZipProblem,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`COTAHIST zip ${problem === 'truncated' ? 'is truncated' : 'refused'}: ${detail}.`, options);
  }
}
