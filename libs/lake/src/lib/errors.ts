/**
 * Every failure the lake reports is a LakeError with a stable `code` (the scraper's model, see
 * libs/scraper/src/lib/errors.ts), so callers — the pipeline, a dead-letter file, the CLI — branch
 * on the code instead of parsing messages. `retryable` says whether trying again later may succeed.
 * Subclasses set `name` explicitly: Lambda bundles are minified, which would mangle class names.
 */
export abstract class LakeError extends Error {
  abstract readonly code: string;
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LakeError';
  }
}

/** A table key the registry does not know. */
export class UnknownTableError extends LakeError {
  readonly code = 'UNKNOWN_TABLE';
  constructor(
    readonly key: string,
    detail = '',
  ) {
    super(`unknown table key ${key}${detail ? ` (${detail})` : ''}`);
    this.name = 'UnknownTableError';
  }
}

/** A deployment stage name that cannot suffix Glue names. */
export class InvalidStageError extends LakeError {
  readonly code = 'INVALID_STAGE';
  constructor(readonly stage: string) {
    super(`stage must be lower-case letters and digits (max 16), got "${stage}"`);
    this.name = 'InvalidStageError';
  }
}

/** An asset kind that is not one of ASSET_KINDS (e.g. in an extract job or a page). */
export class UnknownAssetKindError extends LakeError {
  readonly code = 'UNKNOWN_ASSET_KIND';
  constructor(
    readonly kind: unknown,
    known: readonly string[],
  ) {
    super(`unknown asset kind ${JSON.stringify(kind)} (expected ${known.join(' or ')})`);
    this.name = 'UnknownAssetKindError';
  }
}
