/**
 * Cloud-in-a-box: the Lambda bundles CDK synthesized, wired as the synthesized template wires
 * them (S3 notifications, SQS event source mappings, async invoke configs, the finalize state
 * machine, alarms), against s3rver and emulated SQS/Glue on 127.0.0.1. Every AWS call made
 * during a scenario is checked against the calling role's policies from the template.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, startReplayServer, type ReplayServer } from '@b3lake/replay';
import { Cloud, WORKSPACE } from './cloud';
import type { DeliveryPolicy } from './events';
import { DAILY_TABLES } from '@b3lake/lake';
import { readRuns } from '@b3lake/pipeline';
import { localStores, objectsOf, rowsOf, s3Stores } from './lake-reader';

jest.setTimeout(120_000);

const FIXTURES = join(WORKSPACE, 'tools', 'fixtures');
const D = '2022-05-24';
const PARTITION = { anomesdia_exec: 20220524 };
/** Service delays (visibility timeouts, Wait states, retry delays) run 200× faster than on AWS. */
const TIME_SCALE = 0.005;

const dirs: string[] = [];
const open: { stop(): Promise<void> }[] = [];

async function replay(options: {
  tickers: number;
  permanentFailures?: string[];
  stalls?: string[];
}): Promise<ReplayServer> {
  const server = await startReplayServer({
    fixturesDir: FIXTURES,
    syntheticTickers: options.tickers,
    permanentFailures: options.permanentFailures,
    stalls: options.stalls,
    retryAfterSeconds: 0,
  });
  open.push(server);
  return server;
}

async function cloud(
  sites: ReplayServer,
  extra: { delivery?: DeliveryPolicy; timeouts?: Record<string, number> } = {},
): Promise<Cloud> {
  const box = await Cloud.start({ sitesUrl: sites.url, timeScale: TIME_SCALE, ...extra });
  open.unshift(box);
  return box;
}

function stores(box: Cloud) {
  const buckets: Record<string, string> = {
    landing: box.bucket('StorageLanding'),
    sor: box.bucket('StorageSor'),
    sot: box.bucket('StorageSot'),
    spec: box.bucket('StorageSpec'),
    refined: box.bucket('StorageRefined'),
  };
  return s3Stores(box.endpoint.url, (layer) => buckets[layer]);
}

const checked = { calls: 0, distinct: new Set<string>() };

async function expectEveryCallAllowed(box: Cloud): Promise<void> {
  checked.calls += box.requests.length;
  for (const r of box.requests)
    checked.distinct.add(JSON.stringify([r.principal, r.action, r.resource, r.context ?? {}]));
  const denied = await box.iam.denied(box.requests);
  expect(
    denied.map(
      (d) => `${d.request.via} on ${d.request.resource} ${JSON.stringify(d.request.context ?? {})} → ${d.result}`,
    ),
  ).toEqual([]);
}

/**
 * The daily extraction as AWS runs it: the list function (as the 18:45 schedule would, for D) then the
 * finalize workflow.
 */
async function runDay(box: Cloud, date = D) {
  const listed = await box.fn('FunctionsList').invoke({ date });
  expect(listed).toMatchObject({ ok: true });
  const execution = await box.startExecution({ date });
  await box.idle();
  return execution;
}

afterAll(async () => {
  process.stderr.write(
    `cloud-box: ${checked.calls} AWS calls (${checked.distinct.size} distinct role/action/resource) ` +
      "evaluated against the template's IAM policies, none denied\n",
  );
  for (const thing of open) await thing.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('cloud-in-a-box', () => {
  it('(a) a full day ends with the same rows in every table as a local b3lake run of the same pages', async () => {
    const sites = await replay({ tickers: 24 });
    const box = await cloud(sites);
    const execution = await runDay(box);
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    const ibov = await box.fn('FunctionsIbovIngest').invoke({ date: D });
    expect(ibov).toMatchObject({ ok: true });
    await box.idle();

    const dir = mkdtempSync(join(tmpdir(), 'b3lake-box-local-'));
    dirs.push(dir);
    const local = await cli([
      'run',
      '--date',
      D,
      '--data-dir',
      dir,
      '--fundamentus-url',
      sites.url,
      '--b3-url',
      sites.url,
      '--min-interval',
      '0',
    ]);
    expect(local.code).toBe(0);

    const aws = stores(box);
    for (const key of DAILY_TABLES) {
      const [mine, theirs] = [await rowsOf(aws, key, PARTITION), await rowsOf(localStores(dir), key, PARTITION)];
      expect({ key, rows: mine.length }).toEqual({ key, rows: theirs.length });
      expect(mine).toEqual(theirs);
      expect(await objectsOf(aws, key, 'anomesdia_exec=20220524/')).toHaveLength(1);
    }
    expect(await rowsOf(aws, 'ibov_raw', { date: D })).toEqual(await rowsOf(localStores(dir), 'ibov_raw', { date: D }));
    expect(box.published).toEqual([]);
    // The raw IBOV object started the refine job for its date; its Spark access and the default database
    // custom resource are checked too.
    expect(box.glue.jobRuns).toEqual([
      expect.objectContaining({ jobName: 'b3lake-box-ibov-refine', arguments: { '--date': D } }),
    ]);
    expect(box.requests.filter((r) => r.via.startsWith('Glue job')).length).toBeGreaterThan(20);
    expect(box.requests.some((r) => r.via.startsWith('custom resource') && r.action === 'glue:CreateDatabase')).toBe(
      true,
    );
    expect(box.glue.partitions('db_b3lake_spec_box', 'tbspec_fundamentus_cotacao_ativos')).toEqual(['20220524']);
    // The workflow's last step recorded the day in the run manifest, with the local run's counts.
    const [awsRun] = await readRuns(() => aws('runs'), D);
    const [localRun] = await readRuns(() => localStores(dir)('runs'), D);
    expect(awsRun).toMatchObject({
      origin: 'aws',
      status: 'complete',
      tickers: { listed: localRun.tickers.listed, landed: localRun.tickers.landed, deadLettered: 0 },
      sourceDates: { fundamentus: localRun.sourceDates.fundamentus },
    });
    expect(box.glue.partitions('db_b3lake_ops_box', 'tbops_execucoes')).toEqual(['202205']);
    await expectEveryCallAllowed(box);
  });

  it('(b) prepare/specialize events after finalize started (late, out of order, twice) lose nothing', async () => {
    const sites = await replay({ tickers: 10 });
    const boxes: Cloud[] = [];
    const finalizeStarted = (group: string) =>
      boxes[0].fn('FunctionsFinalize').started.some((e) => JSON.stringify(e).includes(group));
    const delivery: DeliveryPolicy = {
      // Prepare lags until SoR is being compacted; specialize until Spec is: the worst case for both.
      delay: async (fn) => {
        const group = fn.startsWith('FunctionsPrepare')
          ? 'sot_'
          : fn.startsWith('FunctionsSpecialize')
            ? 'spec_cotacoes'
            : undefined;
        if (group) await until(() => finalizeStarted(group));
        await sleep(Math.random() * 300);
      },
      duplicate: (_fn, key) => key.length % 3 === 0,
    };
    const box = await cloud(sites, { delivery });
    boxes.push(box);
    expect(await runDay(box)).toMatchObject({ status: 'SUCCEEDED' });
    const aws = stores(box);
    const tickers = [...sites.tickers.acoes, ...sites.tickers.fiis].sort();
    expect((await rowsOf(aws, 'spec_cotacoes', PARTITION)).map((r) => r['codigo_ticker_ativo']).sort()).toEqual(
      tickers,
    );
    expect((await rowsOf(aws, 'sot_acoes', PARTITION)).map((r) => r['nome_papel']).sort()).toEqual(
      [...sites.tickers.acoes].sort(),
    );
    expect((await rowsOf(aws, 'sot_fiis', PARTITION)).map((r) => r['fii']).sort()).toEqual(
      [...sites.tickers.fiis].sort(),
    );
    for (const key of ['sot_acoes', 'sot_fiis', 'spec_cotacoes'] as const)
      expect(await objectsOf(aws, key, 'anomesdia_exec=20220524/')).toHaveLength(1);
    // Late events found the day finalized and stopped: nothing failed, nobody was paged.
    expect(box.fn('FunctionsPrepare').invocations.filter((i) => !i.result.ok)).toEqual([]);
    expect(box.published).toEqual([]);
    await expectEveryCallAllowed(box);
  });

  it('(c) a permanently failing ticker reaches the DLQ, the alarm notifies, the rest of day is finalized', async () => {
    const sites = await replay({ tickers: 6, permanentFailures: ['PETR4'] });
    const broken = sites.tickers.acoes[1];
    sites.broken.permanent.add(broken);
    const box = await cloud(sites);
    expect(await runDay(box)).toMatchObject({ status: 'SUCCEEDED' });
    const dlq = box.queue('FunctionsAcoesDlq');
    expect(dlq.messages.map((m) => JSON.parse(m.body).ticker)).toEqual([broken]);
    await until(() => box.published.length > 0);
    expect(box.published).toEqual([
      expect.objectContaining({
        topicArn: expect.stringContaining('AlertsTopic'),
        via: expect.stringMatching(/^alarm FunctionsAcoesDlqAlarm/),
      }),
    ]);
    const landed = (await rowsOf(stores(box), 'sor_acoes', PARTITION)).map((r) => r['nome_papel']);
    expect(landed).not.toContain(broken);
    expect(landed).toHaveLength(sites.tickers.acoes.length - 1);
    await expectEveryCallAllowed(box);
  });

  it('(d) a finalize failure publishes a notification and fails the execution', async () => {
    const sites = await replay({ tickers: 4 });
    const box = await cloud(sites);
    expect(await box.fn('FunctionsList').invoke({ date: D })).toMatchObject({ ok: true });
    await box.idle();
    // A damaged object in the day's SoR partition: compaction cannot read it.
    await stores(box)('sor_fiis').put(
      'tbsor_fundamentus_indicadores_fiis_raw/anomesdia_exec=20220524/BROKEN11.parquet',
      new TextEncoder().encode('not parquet'),
    );
    const execution = await box.startExecution({ date: D });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'FinalizeFailed' });
    const notice = box.published.find((p) => p.via === 'state machine: NotifyFailure');
    expect(notice?.subject).toBe('b3lake box: finalize failed');
    expect(JSON.parse(notice!.message)).toMatchObject({
      input: { date: D },
      error: expect.any(String),
      cause: expect.stringContaining('anomesdia_exec=20220524/BROKEN11.parquet'),
    });
    await until(() => box.published.some((p) => p.via.startsWith('alarm WorkflowExecutionsFailed')));
    await expectEveryCallAllowed(box);
  });

  it('(e) a DLQ redrive the next business day is finalized under its own date', async () => {
    const sites = await replay({ tickers: 6 });
    const late = sites.tickers.fiis[0];
    sites.broken.permanent.add(late);
    const box = await cloud(sites);
    const monday = '2022-05-23';
    expect(await runDay(box, monday)).toMatchObject({ status: 'SUCCEEDED' });
    const dlq = box.queue('FunctionsFiisDlq');
    expect(dlq.messages.map((m) => JSON.parse(m.body))).toEqual([{ ticker: late, kind: 'fiis', anomesdia: 20220523 }]);
    // Next day: the site is back; the README's procedure redrives the DLQ, then finalizes that date.
    sites.broken.permanent.delete(late);
    dlq.moveAllTo(box.queue('FunctionsFiisQueue'));
    expect(await box.startExecution({ date: monday })).toMatchObject({ status: 'SUCCEEDED' });
    await box.idle();
    const aws = stores(box);
    expect(
      (await rowsOf(aws, 'spec_cotacoes', { anomesdia_exec: 20220523 })).map((r) => r['codigo_ticker_ativo']),
    ).toContain(late);
    expect((await rowsOf(aws, 'sot_fiis', { anomesdia_exec: 20220523 })).map((r) => r['fii'])).toContain(late);
    expect(await objectsOf(aws, 'spec_cotacoes', 'anomesdia_exec=20220523/')).toHaveLength(1);
    expect(await objectsOf(aws, 'spec_cotacoes', 'anomesdia_exec=20220524/')).toEqual([]);
    expect(box.glue.partitions('db_b3lake_spec_box', 'tbspec_fundamentus_cotacao_ativos')).toEqual(['20220523']);
    await expectEveryCallAllowed(box);
  });

  it('(f) one ticker whose server stalls past the function timeout does not fail the others of its batch', async () => {
    const sites = await replay({ tickers: 8 });
    const stalled = sites.tickers.acoes[2];
    sites.broken.stalls.add(stalled);
    // The stall never ends; a 20 s timeout (the template says 90 s) keeps the test short.
    const box = await cloud(sites, { timeouts: { FunctionsExtractAcoes: 20_000 } });
    expect(await box.fn('FunctionsList').invoke({ date: D })).toMatchObject({ ok: true });
    const extract = box.fn('FunctionsExtractAcoes');
    await until(() => extract.invocations.length > 0, 30_000);
    const [first] = extract.invocations;
    expect(first.result).toMatchObject({ ok: true });
    const failures = (first.result as { result: { batchItemFailures: { itemIdentifier: string }[] } }).result
      .batchItemFailures;
    const records = (first.event as { Records: { messageId: string; body: string }[] }).Records;
    expect(records.length).toBe(sites.tickers.acoes.length);
    expect(failures.map((f) => JSON.parse(records.find((r) => r.messageId === f.itemIdentifier)!.body).ticker)).toEqual(
      [stalled],
    );
    expect(first.ms).toBeLessThan(20_000);
    const landed = await objectsOf(stores(box), 'sor_acoes', 'anomesdia_exec=20220524/');
    expect(landed).toHaveLength(sites.tickers.acoes.length - 1);
    await expectEveryCallAllowed(box);
  });
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
