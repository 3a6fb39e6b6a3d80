import { parse } from '@aws-lambda-powertools/parser';
import { ASSET_KIND_IDS, PipelineError, type ExtractJob } from '@b3lake/pipeline';
import { isTicker } from '@b3lake/scraper';
// zod/mini: the same schemas as `zod` for ~16 KB of bundle instead of ~450 KB, and no load time.
import * as z from 'zod/mini';

/** An issue's message: the rule, and what came instead. */
const rule =
  (text: string) =>
  ({ input }: { input?: unknown }) =>
    input === undefined ? `missing, expected ${text}` : `expected ${text}, got ${JSON.stringify(input)}`;
const TICKER = rule('4–7 upper-case letters and digits, e.g. PETR4');
const ANOMESDIA = rule('an 8-digit integer yyyymmdd');

/** An SQS message body that is not an extract job of its queue: its record fails alone, the batch goes on. */
export class InvalidJobError extends PipelineError {
  readonly code = 'INVALID_JOB';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobError';
  }
}

/** One ticker to extract, as `list` sends it. */
export const ExtractJobSchema = z.object(
  {
    ticker: z.string({ error: TICKER }).check(z.refine(isTicker, { error: TICKER })),
    kind: z.enum(ASSET_KIND_IDS, { error: rule(ASSET_KIND_IDS.map((k) => JSON.stringify(k)).join(' or ')) }),
    anomesdia: z
      .int({ error: ANOMESDIA })
      .check(z.gte(10_000_000, { error: ANOMESDIA }), z.lte(99_999_999, { error: ANOMESDIA })),
  },
  { error: rule('a JSON object { ticker, kind, anomesdia }') },
);

/** The SQS message body: JSON text of an `ExtractJobSchema` object. */
export const ExtractJobBody = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text: string, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: `expected JSON, got ${JSON.stringify(text.slice(0, 100))}`,
        });
        return z.NEVER;
      }
    }),
  ),
  ExtractJobSchema,
);

/**
 * Validates `data` with Powertools Parser. A failure throws `fail(message)`, the message naming
 * every field at fault (`ticker: expected …, got …; kind: expected …`).
 */
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  data: unknown,
  fail: (message: string) => Error,
): z.output<S> {
  const result = parse(data, undefined, schema, true);
  if (result.success) return result.data as z.output<S>;
  const issues = (result.error.cause ?? []) as { path?: readonly PropertyKey[]; message: string }[];
  throw fail(issues.map((i) => (i.path?.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
}

/**
 * An extract job from an SQS message body, of the queue's kind when given; anything else is an
 * InvalidJobError naming what is wrong.
 */
export function parseExtractJob(body: string, queueKind?: string): ExtractJob {
  const job = parseOrThrow(ExtractJobBody, body, (message) => new InvalidJobError(`SQS message body: ${message}`));
  if (queueKind && job.kind !== queueKind)
    throw new InvalidJobError(`SQS message body: kind: expected "${queueKind}" (this queue's kind), got "${job.kind}"`);
  return job;
}
