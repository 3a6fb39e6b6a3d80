import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { objectKey, table, type TableKey } from '@b3lake/lake';
import type { AssetKind, SmokeTicker } from './args';
import type { SmokeContext, StackOutputs } from './context';
import { CheckFailure } from './output';
import { PollTimeout, formatDuration, pollUntil } from './poll';

/** What each layer's object proves, in pipeline order; its table per kind and the step that writes it. */
const LAYERS = [
  { label: 'SoR', step: 'extract', bucket: 'BucketSor', table: { acoes: 'sor_acoes', fiis: 'sor_fiis' } },
  { label: 'SoT', step: 'prepare', bucket: 'BucketSot', table: { acoes: 'sot_acoes', fiis: 'sot_fiis' } },
  { label: 'Spec', step: 'specialize', bucket: 'BucketSpec', table: { acoes: 'spec_cotacoes', fiis: 'spec_cotacoes' } },
] as const satisfies readonly {
  label: string;
  step: string;
  bucket: keyof StackOutputs;
  table: Record<AssetKind, TableKey>;
}[];

const QUEUE: Record<AssetKind, keyof StackOutputs> = { acoes: 'QueueAcoesUrl', fiis: 'QueueFiisUrl' };
const DLQ: Record<AssetKind, keyof StackOutputs> = { acoes: 'DlqAcoesUrl', fiis: 'DlqFiisUrl' };

/** Check 2: one extract job per ticker on the queue of its kind, as `list` would send it. */
export async function sendExtractJobs(ctx: SmokeContext, outputs: StackOutputs): Promise<string> {
  const { tickers, anomesdia } = ctx.options;
  for (const { ticker, kind } of tickers) {
    const body = JSON.stringify({ ticker, kind, anomesdia });
    try {
      await ctx.clients.sqs.send(new SendMessageCommand({ QueueUrl: outputs[QUEUE[kind]], MessageBody: body }));
    } catch (err) {
      throw new CheckFailure(
        `sending ${ticker} to ${outputs[QUEUE[kind]]}: ${err instanceof Error ? err.message : String(err)}`,
        "your credentials need sqs:SendMessage on the queue (and the region must be the stack's)",
      );
    }
  }
  return `${tickers.map((t) => `${t.ticker} → ${t.kind}`).join(', ')} (anomesdia ${anomesdia})`;
}

interface Expected {
  ticker: string;
  kind: AssetKind;
  layer: (typeof LAYERS)[number];
  bucket: string;
  key: string;
}

/** The SoR, SoT and Spec object keys of each ticker for the day. */
export function expectedObjects(tickers: readonly SmokeTicker[], anomesdia: number, outputs: StackOutputs): Expected[] {
  return tickers.flatMap(({ ticker, kind }) =>
    LAYERS.map((layer) => ({
      ticker,
      kind,
      layer,
      bucket: outputs[layer.bucket],
      key: objectKey(table(layer.table[kind]), { anomesdia_exec: anomesdia }, ticker),
    })),
  );
}

/**
 * Check 3: every expected object appears before the timeout; on timeout, say where each ticker stopped
 * and what the DLQs hold.
 */
export async function waitForObjects(ctx: SmokeContext, outputs: StackOutputs): Promise<string> {
  const { clock, options } = ctx;
  const start = clock.now();
  const pending = new Set(expectedObjects(options.tickers, options.anomesdia, outputs));
  const total = pending.size;
  try {
    await pollUntil(
      async () => {
        for (const item of [...pending]) if (await exists(ctx, item.bucket, item.key)) pending.delete(item);
        return pending.size === 0 ? true : undefined;
      },
      { clock, timeoutMs: options.timeoutMs, intervalMs: ctx.intervals.objectsMs, what: 'objects' },
    );
  } catch (err) {
    if (err instanceof PollTimeout) throw await timeoutFailure(ctx, outputs, [...pending], total);
    throw err;
  }
  const layers = LAYERS.map((l) => l.label).join('/');
  return `${total} objects (${options.tickers.length} tickers × ${layers}) in ${formatDuration(clock.now() - start)}`;
}

async function exists(ctx: SmokeContext, bucket: string, key: string): Promise<boolean> {
  try {
    await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((err as Error).name === 'NotFound' || status === 404) return false;
    if (status === 403)
      throw new CheckFailure(
        `HeadObject s3://${bucket}/${key}: access denied`,
        'your credentials need s3:GetObject and s3:ListBucket on the lake buckets ' +
          '(without ListBucket a missing object reads as 403)',
      );
    throw err;
  }
}

async function timeoutFailure(
  ctx: SmokeContext,
  outputs: StackOutputs,
  missing: Expected[],
  total: number,
): Promise<CheckFailure> {
  const stuck = new Map<string, Expected>();
  // first missing layer, LAYERS order
  for (const item of missing) if (!stuck.has(item.ticker)) stuck.set(item.ticker, item);
  const where = [...stuck.values()].map(
    (m) => `${m.ticker} has no ${m.layer.label} object (${m.layer.step} did not finish; s3://${m.bucket}/${m.key})`,
  );
  const message =
    `after ${formatDuration(ctx.options.timeoutMs)}, ${missing.length} of ${total} objects missing: ` +
    where.join('; ');
  const kinds = [...new Set(ctx.options.tickers.map((t) => t.kind))];
  const dead: string[] = [];
  const steps = new Set<string>();
  for (const kind of kinds) {
    const count = await dlqDepth(ctx, outputs[DLQ[kind]]);
    if (count === undefined) dead.push(`could not read the ${kind} DLQ (${DLQ[kind]})`);
    else if (count > 0)
      dead.push(`the ${kind} DLQ holds ${count} message(s): extract-${kind} failed 3 times on a ticker`);
    if (count) steps.add(`extract-${kind}`);
  }
  for (const m of stuck.values()) steps.add(m.layer.step === 'extract' ? `extract-${m.kind}` : m.layer.step);
  const logs = `read the CloudWatch logs of the ${[...steps].join(', ')} function(s)`;
  if (dead.some((d) => d.includes('holds'))) {
    return new CheckFailure(
      message,
      `${dead.join('; ')} — ${logs}, fix the cause, then redrive (README "Redrive the DLQ")`,
    );
  }
  const dlqs = dead.length ? `${dead.join('; ')}; ` : 'the DLQs are empty: ';
  return new CheckFailure(
    message,
    `${dlqs}the jobs may still be retrying (raise --timeout-minutes) — ${logs}; ` +
      'if finalize ran meanwhile, per-ticker objects were compacted into part-<hash>.parquet',
  );
}

async function dlqDepth(ctx: SmokeContext, url: string): Promise<number | undefined> {
  try {
    const { Attributes } = await ctx.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const n = Number(Attributes?.ApproximateNumberOfMessages);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}
