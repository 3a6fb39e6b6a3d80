/**
 * Cloud-in-a-box, B3's price history: the cotahist bundle CDK synthesized, fired by its schedule as
 * EventBridge Scheduler fires it (the template's target input, the evening of 2022-05-24 in São
 * Paulo), the replay server's COTAHIST zips standing in for B3, and the backfill state machine
 * run by aws-local-stepfunctions. Every AWS call is checked against the calling role's policies.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '@b3lake/replay';
import { readPartition, table, type ObjectStore, type TableKey } from '@b3lake/lake';
import { parseCotahist } from '@b3lake/scraper';
import { Cloud, WORKSPACE } from './cloud';
import { s3Stores } from './lake-reader';

jest.setTimeout(120_000);

/** The evening the schedules fire: 20:30 in São Paulo on Tuesday 2022-05-24 (the replay's today). */
const EVENING = '2022-05-24T23:30:00Z';
const TIME_SCALE = 0.005;
const SOT = table('cotahist');
const SPOT = table('cotahist_spot');
const LEDGER = table('cotahist_files');

let sites: ReplayServer;
let box: Cloud;
let stores: (key: TableKey) => ObjectStore;
let landing: ObjectStore;

beforeAll(async () => {
  sites = await startReplayServer({
    fixturesDir: join(WORKSPACE, 'tools', 'fixtures'),
    syntheticTickers: 2,
    retryAfterSeconds: 0,
    today: '2022-05-24',
    // A year whose zip is whole but lacks its last records (the trailer counts them): a data error.
    cotahistTruncated: ['COTAHIST_A2017.ZIP'],
  });
  box = await Cloud.start({ sitesUrl: sites.url, timeScale: TIME_SCALE, now: EVENING });
  const buckets: Record<string, string> = {
    landing: box.bucket('StorageLanding'),
    sot: box.bucket('StorageSot'),
    spec: box.bucket('StorageSpec'),
  };
  stores = s3Stores(box.endpoint.url, (layer) => buckets[layer]);
  landing = s3Stores(box.endpoint.url, () => buckets['landing'])('cotahist');
}, 60_000);

afterAll(async () => {
  await box?.stop();
  await sites?.stop();
});

async function expectEveryCallAllowed(): Promise<void> {
  const denied = await box.iam.denied(box.requests);
  expect(denied.map((d) => `${d.request.via} on ${d.request.resource} → ${d.result}`)).toEqual([]);
}

/** The file as the replay server serves it, read by the scraper's parser (what the tables must hold). */
async function served(name: string) {
  const response = await fetch(`${sites.cotahistUrl}${name}`);
  return parseCotahist(new Uint8Array(await response.arrayBuffer()));
}

const rows = (key: TableKey, year: number) => readPartition(stores(key), table(key), { ano: year });

describe('cloud-in-a-box: COTAHIST', () => {
  it("(g) the 20:30 schedule loads the day's file into SoT, Spec, the ledger and the Glue partitions", async () => {
    const fired = await box.fireSchedule('HistoryCotahistDaily');
    expect(fired).toMatchObject({
      ok: true,
      result: { status: 'loaded', file: 'COTAHIST_D24052022.ZIP', businessDate: '2022-05-24', downloaded: true },
    });
    // As the scheduler sends it: the template's input `{}`, the business date from the evening's clock.
    expect(box.fn('FunctionsCotahist').started).toEqual([{}]);

    const { quotes } = await served('COTAHIST_D24052022.ZIP');
    const sot = await rows('cotahist', 2022);
    expect(sot).toHaveLength(quotes.length);
    const perShare = new Map(quotes.map((q) => [q.ticker, q.close / q.quoteFactor]));
    for (const row of sot) {
      expect(row).toMatchObject({ dt_pregao: '2022-05-24', nome_arquivo: 'COTAHIST_D24052022.ZIP' });
      expect(row['vlr_fechamento']).toBeCloseTo(perShare.get(String(row['codigo_ticker']))!, 9);
    }
    const spot = await rows('cotahist_spot', 2022);
    const spotQuotes = quotes.filter((q) => q.marketType === 10);
    expect(spot.map((r) => r['codigo_ticker']).sort()).toEqual(spotQuotes.map((q) => q.ticker).sort());
    expect(spot.find((r) => r['codigo_ticker'] === 'TAEE11')).toMatchObject({ fator_cotacao: 1000 });
    expect(await rows('cotahist_files', 2022)).toEqual([
      expect.objectContaining({
        nome_arquivo: 'COTAHIST_D24052022.ZIP',
        tipo_arquivo: 'daily',
        qtd_cotacoes: quotes.length,
        qtd_cotacoes_vista: spotQuotes.length,
        dt_inicio: '2022-05-24',
      }),
    ]);
    expect((await landing.list('cotahist/')).map((o) => o.key)).toEqual(['cotahist/ano=2022/COTAHIST_D24052022.ZIP']);
    for (const def of [SOT, SPOT, LEDGER])
      expect(box.glue.partitions(`${def.database}_box`, def.name)).toEqual(['2022']);
    await expectEveryCallAllowed();
  });

  it('(h) at 22:30 the day is found loaded, nothing downloaded; a day not yet published is a warning', async () => {
    const before = sites.stats.requests;
    expect(await box.fireSchedule('HistoryCotahistDailyLate')).toMatchObject({
      ok: true,
      result: { status: 'already-loaded', downloaded: false },
    });
    expect(sites.stats.requests).toBe(before);
    // Tomorrow's file does not exist yet (the replay's today is 2022-05-24): a status, no failure, no alert.
    const fn = box.fn('FunctionsCotahist');
    expect(await fn.invoke({ date: '2022-05-25' })).toMatchObject({ ok: true, result: { status: 'not-published' } });
    expect(fn.logs.some((l) => l.includes('COTAHIST file not published yet'))).toBe(true);
    expect(box.published).toEqual([]);
    await expectEveryCallAllowed();
  });

  it('(i) the backfill state machine loads 2020 and 2021; run again, it downloads nothing', async () => {
    const execution = await box.startExecution({ from: 2020, to: 2021 }, 'HistoryBackfill');
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    const years = (execution.output as { years: { year: number; status: string; quotes: number }[] }).years;
    expect(years.map((y) => [y.year, y.status])).toEqual([
      [2020, 'loaded'],
      [2021, 'loaded'],
    ]);
    for (const year of [2020, 2021]) {
      const { quotes } = await served(`COTAHIST_A${year}.ZIP`);
      expect(years.find((y) => y.year === year)?.quotes).toBe(quotes.length);
      expect(await rows('cotahist', year)).toHaveLength(quotes.length);
      expect((await rows('cotahist_files', year)).map((f) => f['nome_arquivo'])).toEqual([`COTAHIST_A${year}.ZIP`]);
    }
    expect(box.glue.partitions(`${SPOT.database}_box`, SPOT.name)).toEqual(['2020', '2021', '2022']);
    expect(box.requests.filter((r) => r.via === 'state machine: LoadYear')).toHaveLength(2);

    const again = await box.startExecution({ from: 2020, to: 2021 }, 'HistoryBackfill');
    expect((again.output as { years: { status: string; downloaded: boolean }[] }).years).toEqual([
      expect.objectContaining({ status: 'already-loaded', downloaded: false }),
      expect.objectContaining({ status: 'already-loaded', downloaded: false }),
    ]);
    await expectEveryCallAllowed();
  });

  it('(j) a year that cannot be loaded fails the backfill and notifies; bad input fails at once', async () => {
    const execution = await box.startExecution({ from: 2017, to: 2018 }, 'HistoryBackfill');
    expect(execution).toMatchObject({ status: 'FAILED', error: 'BackfillFailed' });
    const notice = box.published.find((p) => p.via === 'state machine: NotifyBackfillFailure');
    expect(notice?.subject).toBe('b3lake box: COTAHIST backfill failed');
    expect(JSON.parse(notice!.message)).toMatchObject({
      input: { from: 2017, to: 2018 },
      cause: expect.stringContaining('COTAHIST_A2017.ZIP'),
    });
    // Not retried: a file whose trailer counts records it lacks is a data error, not a network one.
    const attempts = box.fn('FunctionsCotahist').started.filter((e) => JSON.stringify(e).includes('2017'));
    expect(attempts).toHaveLength(1);
    expect(await rows('cotahist', 2017)).toEqual([]);

    const invalid = await box.startExecution({ from: 2021, to: 2020 }, 'HistoryBackfill');
    expect(invalid).toMatchObject({ status: 'FAILED', error: 'BackfillFailed' });
    await expectEveryCallAllowed();
  });

  it('(k) a download cut midway fails as RetryableError; the backfill retries it and the year lands', async () => {
    // A B3 stand-in that cuts its first answer after the zip's first bytes, then serves the replay's.
    let answered = 0;
    const flaky = createServer((req, res) => {
      void (async () => {
        const name = (req.url ?? '').split('/').pop();
        const zip = Buffer.from(await (await fetch(`${sites.cotahistUrl}${name}`)).arrayBuffer());
        res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': String(zip.length) });
        if (answered++ > 0) return void res.end(zip);
        res.write(zip.subarray(0, 1000));
        setTimeout(() => res.destroy(), 100);
      })();
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const cotahistUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/InstDados/SerHist/`;
    const other = await Cloud.start({ sitesUrl: sites.url, cotahistUrl, timeScale: TIME_SCALE, now: EVENING });
    try {
      const execution = await other.startExecution({ from: 2019, to: 2019 }, 'HistoryBackfill');
      expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { years: [{ year: 2019, status: 'loaded' }] } });
      const results = other.fn('FunctionsCotahist').invocations.map((i) => i.result);
      expect(results).toEqual([
        expect.objectContaining({ ok: false, errorType: 'RetryableError' }),
        expect.objectContaining({ ok: true }),
      ]);
      expect(answered).toBe(2);
      expect(await other.iam.denied(other.requests)).toEqual([]);
    } finally {
      await other.stop();
      flaky.closeAllConnections();
      flaky.close();
    }
  });
});
