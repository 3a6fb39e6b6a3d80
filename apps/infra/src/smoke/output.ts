/** One line per check: `✔ name — detail`, or `✖ name — error` and `  hint: …`. */
export interface Reporter {
  pass(name: string, detail: string): void;
  fail(name: string, error: string, hint?: string): void;
  info(line: string): void;
}

export function reporter(write: (line: string) => void): Reporter {
  return {
    pass: (name, detail) => write(`✔ ${name} — ${detail}`),
    fail: (name, error, hint) => {
      write(`✖ ${name} — ${error}`);
      if (hint) write(`  hint: ${hint}`);
    },
    info: (line) => write(line),
  };
}

/** A check that failed with a known cause: the message and what to do about it. */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

const CREDENTIALS = new RegExp(
  [
    'CredentialsProviderError',
    'ExpiredToken',
    'InvalidClientTokenId',
    'UnrecognizedClient',
    'InvalidSignature',
    'SignatureDoesNotMatch',
  ].join('|'),
);
const DENIED = /AccessDenied|Forbidden|UnauthorizedOperation|AuthorizationError/;

/** Message and hint of any error a check threw; SDK errors get a hint from their name. */
export function explain(err: unknown): { message: string; hint?: string } {
  if (err instanceof CheckFailure) return { message: err.message, hint: err.hint };
  if (!(err instanceof Error)) return { message: String(err) };
  const message =
    err.name && err.name !== 'Error' && !err.message.includes(err.name) ? `${err.name}: ${err.message}` : err.message;
  if (CREDENTIALS.test(err.name) || /credential/i.test(err.message))
    return { message, hint: 'no valid AWS credentials: run `aws configure` or `aws sso login`, or set AWS_PROFILE' };
  if (/region is missing/i.test(err.message)) return { message, hint: 'pass --region or set AWS_REGION' };
  if (DENIED.test(err.name))
    return { message, hint: 'your credentials lack a permission this check needs (see the action in the message)' };
  return { message };
}
