/**
 * runCotahist, what the handler runs, with the AWS context as the function builds it: S3 on
 * s3rver, COTAHIST downloads from a stand-in for B3 on 127.0.0.1, the hyparquet writer.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeParquet, table, type PartitionValues, type TableDef } from '@b3lake/lake';
import { startS3rver } from '@b3lake/lake/testing';
import { loadedFiles, type PipelineContext } from '@b3lake/pipeline';
import { cotahistHeader, cotahistQuote, cotahistText, cotahistTrailer, zipOf } from '@b3lake/scraper/testing';
import { CotahistFileError, RetryableError, awsContext, readEnv, runCotahist } from '@b3lake/aws-runtime';

const BUCKETS = { landing: 'c-landing', sor: 'c-sor', sot: 'c-sot', spec: 'c-spec', refined: 'c-refined' };

/** A COTAHIST zip of these sessions (yyyymmdd), PETR4 and a FII each day, named as B3 names it. */
function zip(name: string, days: string[]): Buffer {
  const quotes = days.flatMap((date) => [
    cotahistQuote({ date, ticker: 'PETR4' }),
    cotahistQuote({ date, ticker: 'HGLG11', bdi: '12', prices: [16200, 16300, 16100, 16250, 16220, 16210, 16230] }),
  ]);
  const last = days[days.length - 1];
  const text = cotahistText([cotahistHeader(last), ...quotes, cotahistTrailer(quotes.length + 2)]);
  return zipOf([{ name: name.replace(/\.ZIP$/, '.TXT'), data: text }]);
}

describe('runCotahist (the cotahist function) against s3rver and a B3 stand-in', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let b3: Server;
  let files: Map<string, Buffer | 'cut'>;
  const requested: string[] = [];
  const partitions: { table: string; values: PartitionValues[] }[] = [];
  let now = new Date('2022-05-24T23:30:00Z'); // 20:30 in São Paulo

  function context(): PipelineContext {
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const env = readEnv({
      BUCKET_LANDING: BUCKETS.landing,
      BUCKET_SOR: BUCKETS.sor,
      BUCKET_SOT: BUCKETS.sot,
      BUCKET_SPEC: BUCKETS.spec,
      BUCKET_REFINED: BUCKETS.refined,
      COTAHIST_URL: `http://127.0.0.1:${(b3.address() as AddressInfo).port}/InstDados/SerHist/`,
      HTTP_MIN_INTERVAL_MS: '0',
      B3LAKE_S3_FORCE_PATH_STYLE: 'true',
    });
    return {
      ...awsContext(env, { s3: client }),
      // Glue is the stack's: here the partitions registered are recorded.
      catalog: {
        refresh: async () => undefined,
        addPartitions: async (def: TableDef, values: readonly PartitionValues[]) => {
          partitions.push({ table: def.name, values: [...values] });
        },
      },
      clock: { now: () => now },
    };
  }

  beforeAll(async () => {
    s3 = await startS3rver(Object.values(BUCKETS));
    b3 = createServer((req, res) => {
      const name = (req.url ?? '').split('/').pop() ?? '';
      requested.push(name);
      const body = files.get(name);
      if (!body) return void res.writeHead(404).end('not found');
      if (body === 'cut') {
        // A download cut midway: the zip's first bytes, then the connection drops.
        const whole = zip(name, ['20220104']);
        res.writeHead(200, { 'Content-Length': String(whole.length * 10) });
        res.write(whole.subarray(0, 40));
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': String(body.length) }).end(body);
    });
    await new Promise<void>((r) => b3.listen(0, '127.0.0.1', r));
  }, 30_000);

  afterAll(async () => {
    b3?.closeAllConnections();
    await new Promise((r) => b3?.close(r));
    await s3?.stop();
  });

  beforeEach(() => {
    files = new Map();
    requested.length = 0;
    partitions.length = 0;
    now = new Date('2022-05-24T23:30:00Z');
  });

  it("loads today's daily file on a trading day, and the evening's second run downloads nothing", async () => {
    files.set('COTAHIST_D24052022.ZIP', zip('COTAHIST_D24052022.ZIP', ['20220524']));
    const ctx = context();
    const first = await runCotahist(ctx, {});
    expect(first).toMatchObject({
      status: 'loaded',
      file: 'COTAHIST_D24052022.ZIP',
      businessDate: '2022-05-24',
      year: 2022,
      downloaded: true,
      quotes: 2,
      spotRows: 2,
    });
    expect(first.bytes).toBe(files.get('COTAHIST_D24052022.ZIP')!.length);
    const spec = table('cotahist_spot');
    const key = `${spec.name}/ano=2022/COTAHIST_D24052022.parquet`;
    const rows = await decodeParquet(spec, await ctx.stores('spec').get(key));
    expect(rows.map((r) => [r['codigo_ticker'], r['dt_pregao'], r['vlr_fechamento']])).toEqual([
      ['PETR4', '2022-05-24', 23.46],
      ['HGLG11', '2022-05-24', 162.2],
    ]);
    expect((await loadedFiles(ctx.stores('sot'), 2022)).map((f) => f.file)).toEqual(['COTAHIST_D24052022.ZIP']);
    expect(await ctx.stores('landing').list('cotahist/')).toEqual([
      expect.objectContaining({ key: 'cotahist/ano=2022/COTAHIST_D24052022.ZIP' }),
    ]);
    expect(partitions.map((p) => [p.table, p.values])).toEqual([
      ['tbsot_b3_cotacoes_historicas', [{ ano: 2022 }]],
      ['tbspec_b3_cotacoes_diarias', [{ ano: 2022 }]],
      ['tbops_cotahist_arquivos', [{ ano: 2022 }]],
    ]);

    requested.length = 0;
    expect(await runCotahist(ctx, {})).toMatchObject({ status: 'already-loaded', downloaded: false, quotes: 2 });
    expect(requested).toEqual([]);
    // force downloads again; the same bytes are then unchanged.
    expect(await runCotahist(ctx, { force: true })).toMatchObject({ status: 'loaded', downloaded: true });
  }, 30_000);

  it('skips weekends and B3 holidays without a request', async () => {
    const ctx = context();
    now = new Date('2022-05-28T23:30:00Z');
    expect(await runCotahist(ctx, {})).toMatchObject({ status: 'skipped', businessDate: '2022-05-28' });
    expect(await runCotahist(ctx, { date: '2022-04-21' })).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('Tiradentes'),
    });
    expect(requested).toEqual([]);
  });

  it('reports a file B3 has not published yet as a status, writing nothing', async () => {
    const ctx = context();
    const result = await runCotahist(ctx, { date: '2022-05-25' });
    expect(result).toMatchObject({ status: 'not-published', file: 'COTAHIST_D25052022.ZIP', downloaded: false });
    expect(result.reason).toMatch(/HTTP 404/);
    expect(await ctx.stores('landing').list('cotahist/ano=2022/COTAHIST_D25')).toEqual([]);
  });

  it("loads a year's annual file over its daily files; a retry loads the archive, downloading nothing", async () => {
    const ctx = context();
    files.set('COTAHIST_D04012021.ZIP', zip('COTAHIST_D04012021.ZIP', ['20210104']));
    await runCotahist(ctx, { file: 'COTAHIST_D04012021.ZIP' });
    files.set('COTAHIST_A2021.ZIP', zip('COTAHIST_A2021.ZIP', ['20210104', '20210105', '20211230']));
    const year = await runCotahist(ctx, { year: 2021 });
    expect(year).toMatchObject({ status: 'loaded', downloaded: true, quotes: 6, replaced: ['COTAHIST_D04012021.ZIP'] });
    expect((await loadedFiles(ctx.stores('sot'), 2021)).map((f) => f.file)).toEqual(['COTAHIST_A2021.ZIP']);
    expect(await runCotahist(ctx, { year: 2021 })).toMatchObject({ status: 'already-loaded' });

    // An earlier attempt archived 2020 and failed before loading it: the retry reads the archive.
    const archived = zip('COTAHIST_A2020.ZIP', ['20200102', '20201230']);
    await ctx.stores('landing').put('cotahist/ano=2020/COTAHIST_A2020.ZIP', archived);
    requested.length = 0;
    expect(await runCotahist(ctx, { year: 2020 })).toMatchObject({ status: 'loaded', downloaded: false, quotes: 4 });
    expect(requested).toEqual([]);
  }, 30_000);

  it("downloads the current year's annual file again: it grows every session", async () => {
    const ctx = context();
    files.set('COTAHIST_A2022.ZIP', zip('COTAHIST_A2022.ZIP', ['20220103']));
    expect(await runCotahist(ctx, { year: 2022 })).toMatchObject({ status: 'loaded', quotes: 2 });
    files.set('COTAHIST_A2022.ZIP', zip('COTAHIST_A2022.ZIP', ['20220103', '20220104']));
    now = new Date('2022-05-25T23:30:00Z');
    expect(await runCotahist(ctx, { year: 2022 })).toMatchObject({ status: 'loaded', downloaded: true, quotes: 4 });
  }, 30_000);

  it('throws a cut download as RetryableError (the backfill retries it) and writes nothing', async () => {
    const ctx = context();
    files.set('COTAHIST_A2019.ZIP', 'cut');
    const error = await runCotahist(ctx, { year: 2019 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({
      name: 'RetryableError',
      retryable: true,
      message: expect.stringMatching(/^COTAHIST_A2019\.ZIP: /),
    });
    expect(await ctx.stores('landing').list('cotahist/ano=2019/')).toEqual([]);
  }, 30_000);

  it('throws a file that fails for good as CotahistFileError, naming the file and the code', async () => {
    const ctx = context();
    files.set('COTAHIST_A2018.ZIP', zip('COTAHIST_A2018.ZIP', ['20210104']));
    const error = await runCotahist(ctx, { year: 2018 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CotahistFileError);
    expect(error).toMatchObject({
      name: 'CotahistFileError',
      code: 'COTAHIST_WRONG_YEAR',
      retryable: false,
      message: expect.stringMatching(/^COTAHIST_A2018\.ZIP: .*2021-01-04.*\(COTAHIST_WRONG_YEAR\)$/),
    });
  }, 30_000);
});
