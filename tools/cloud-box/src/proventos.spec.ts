/**
 * Cloud-in-a-box, dividend history: the weekly schedule as EventBridge Scheduler fires it (the
 * template's target input, 22:00 in São Paulo on Friday 2022-05-27) → the list function's bundle
 * sends one job per listed ticker to the proventos queue → the proventos bundle consumes it through
 * the template's event source mapping, against the replay server's dividend pages and s3rver.
 * Every AWS call is checked against the calling role's policies from the template.
 */
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '@b3lake/replay';
import { readPartition, table, type ObjectStore, type TableKey } from '@b3lake/lake';
import { parseProventosPage } from '@b3lake/scraper';
import { Cloud, WORKSPACE } from './cloud';
import type { BoxFunction } from './lambdas';
import { s3Stores } from './lake-reader';

jest.setTimeout(120_000);

/** 22:00 in São Paulo on Friday 2022-05-27, the last trading day of its week. */
const FRIDAY_EVENING = '2022-05-28T01:00:00Z';
const D = 20220527;
const TIME_SCALE = 0.005;
const PROVENTOS = table('proventos');

let sites: ReplayServer;
let box: Cloud;
let stores: (key: TableKey) => ObjectStore;
let landing: ObjectStore;
let tickers: { ticker: string; kind: 'acoes' | 'fiis' }[];

beforeAll(async () => {
  sites = await startReplayServer({
    fixturesDir: join(WORKSPACE, 'tools', 'fixtures'),
    syntheticTickers: 6,
    retryAfterSeconds: 0,
    today: '2022-05-27',
  });
  box = await Cloud.start({ sitesUrl: sites.url, timeScale: TIME_SCALE, now: FRIDAY_EVENING });
  const buckets: Record<string, string> = {
    landing: box.bucket('StorageLanding'),
    sot: box.bucket('StorageSot'),
    spec: box.bucket('StorageSpec'),
    sor: box.bucket('StorageSor'),
  };
  stores = s3Stores(box.endpoint.url, (layer) => buckets[layer]);
  landing = s3Stores(box.endpoint.url, () => buckets['landing'])('proventos');
  tickers = [
    ...sites.tickers.acoes.map((ticker) => ({ ticker, kind: 'acoes' as const })),
    ...sites.tickers.fiis.map((ticker) => ({ ticker, kind: 'fiis' as const })),
  ].sort((a, b) => a.ticker.localeCompare(b.ticker));
}, 60_000);

afterAll(async () => {
  await box?.stop();
  await sites?.stop();
});

async function expectEveryCallAllowed(): Promise<void> {
  const denied = await box.iam.denied(box.requests);
  expect(denied.map((d) => `${d.request.via} on ${d.request.resource} → ${d.result}`)).toEqual([]);
}

/** A ticker's dividend page as the replay server serves it now, parsed (what its history must hold). */
async function served(ticker: string, kind: 'acoes' | 'fiis') {
  const path = kind === 'acoes' ? `/proventos.php?papel=${ticker}` : `/fii_proventos.php?papel=${ticker}&tipo=2`;
  const response = await fetch(`${sites.url}${path}`);
  return parseProventosPage(new Uint8Array(await response.arrayBuffer()), { ticker });
}

/** The JSON lines a function wrote from line `from` on: its WARN logs and its EMF metrics. */
function output(fn: BoxFunction, from: number): Record<string, unknown>[] {
  return fn.logs.slice(from).flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** A metric summed over EMF lines (a metric added several times in one invocation is an array). */
const metric = (lines: Record<string, unknown>[], name: string) =>
  lines
    .filter((l) => '_aws' in l && name in l)
    .flatMap((l) => ([] as number[]).concat(l[name] as number))
    .reduce((a, b) => a + b, 0);

describe('cloud-in-a-box: dividend history', () => {
  it('(l) the weekly schedule queues every listed ticker; each history lands, its Glue partition too', async () => {
    // The day's 18:45 list run archived the listings the weekly run reads.
    expect(await box.fireSchedule('WorkflowStartDaily')).toMatchObject({ ok: true });
    await box.idle();
    const before = sites.stats.requests;
    const proventos = box.fn('FunctionsProventos');

    const fired = await box.fireSchedule('ProventosWeekly');
    expect(fired).toMatchObject({
      ok: true,
      result: {
        kind: 'proventos',
        businessDate: '2022-05-27',
        queued: tickers.length,
        fromArchive: ['acoes', 'fiis'],
      },
    });
    // As the scheduler sends it: the template's input.
    expect(box.fn('FunctionsList').started.at(-1)).toEqual({ kind: 'proventos', weekly: true });
    await box.idle();
    // One request per ticker, its dividend page: the listings came from the day's archive.
    expect(sites.stats.requests - before).toBe(tickers.length);
    expect(box.queue('ProventosDlq').messages).toEqual([]);
    expect(proventos.invocations.every((i) => i.result.ok)).toBe(true);

    let total = 0;
    for (const { ticker, kind } of tickers) {
      const page = await served(ticker, kind);
      const rows = await readPartition(stores('proventos'), PROVENTOS, { ticker });
      expect({ ticker, rows: rows.length }).toEqual({ ticker, rows: page.distributions.length });
      expect(rows.every((r) => r['codigo_ticker'] === ticker)).toBe(true);
      expect((await stores('proventos').list(`${PROVENTOS.name}/ticker=${ticker}/`)).map((o) => o.key)).toEqual([
        `${PROVENTOS.name}/ticker=${ticker}/proventos.parquet`,
      ]);
      total += rows.length;
    }
    expect((await landing.list('fundamentus-proventos/')).map((o) => o.key).sort()).toEqual(
      tickers.map(({ ticker, kind }) => `fundamentus-proventos/anomesdia_exec=${D}/${kind}/${ticker}.html.gz`).sort(),
    );
    expect(box.glue.partitions(`${PROVENTOS.database}_box`, PROVENTOS.name)).toEqual(tickers.map((t) => t.ticker));

    const lines = output(proventos, 0);
    expect(metric(lines, 'proventosTickersLanded')).toBe(tickers.length);
    expect(metric(lines, 'proventosRowsAdded')).toBe(total);
    expect(metric(lines, 'proventosRowsRemoved')).toBe(0);
    expect(lines.filter((l) => l['level'] === 'WARN')).toEqual([]);
    await expectEveryCallAllowed();
  });

  it('(m) fired again after the site changed a history: 1 row removed and 1 added, a WARN line, metrics', async () => {
    const changed = tickers.find((t) => t.kind === 'fiis') ?? tickers[0];
    sites.proventosChanged.add(changed.ticker);
    const proventos = box.fn('FunctionsProventos');
    const from = proventos.logs.length;
    const previous = await readPartition(stores('proventos'), PROVENTOS, { ticker: changed.ticker });

    expect(await box.fireSchedule('ProventosWeekly')).toMatchObject({ ok: true, result: { queued: tickers.length } });
    await box.idle();

    const lines = output(proventos, from);
    expect(metric(lines, 'proventosRowsRemoved')).toBe(1);
    expect(metric(lines, 'proventosRowsAdded')).toBe(1);
    expect(metric(lines, 'proventosHistoriesChanged')).toBe(1);
    const now = await readPartition(stores('proventos'), PROVENTOS, { ticker: changed.ticker });
    const ids = (rows: typeof now) => new Set(rows.map((r) => String(r['id_provento'])));
    const removed = [...ids(previous)].filter((id) => !ids(now).has(id));
    const added = [...ids(now)].filter((id) => !ids(previous).has(id));
    expect([removed.length, added.length]).toEqual([1, 1]);
    expect(lines.filter((l) => l['level'] === 'WARN')).toEqual([
      expect.objectContaining({
        message:
          `proventos ${changed.ticker}: history changed since its previous snapshot: ` +
          `1 row removed (${removed[0]}); 1 row added (${added[0]})`,
        ticker: changed.ticker,
        removedRows: removed,
        addedRows: added,
      }),
    ]);
    expect(now).toHaveLength((await served(changed.ticker, changed.kind)).distributions.length);
    // The partition was registered by the first fetch; nothing else changed in the catalog.
    expect(box.glue.partitions(`${PROVENTOS.database}_box`, PROVENTOS.name)).toEqual(tickers.map((t) => t.ticker));
    sites.proventosChanged.delete(changed.ticker);
    await expectEveryCallAllowed();
  });

  it('(n) not the week’s last trading day: nothing queued; a page failing for good: DLQ, alert', async () => {
    const list = box.fn('FunctionsList');
    expect(await list.invoke({ kind: 'proventos', weekly: true, date: '2022-05-24' })).toEqual({
      ok: true,
      result: {
        kind: 'proventos',
        skipped: true,
        businessDate: '2022-05-24',
        reason: '2022-05-24 is not the last trading day of its week (the weekly dividend run)',
      },
    });
    expect(box.queue('ProventosQueue').messages).toEqual([]);

    // A ticker the site does not know: its page fails every time, 3 receives, then the DLQ.
    box.queue('ProventosQueue').send(JSON.stringify({ ticker: 'ZZZZ3', kind: 'acoes', anomesdia: D }));
    await box.idle();
    expect(box.queue('ProventosDlq').messages.map((m) => JSON.parse(m.body))).toEqual([
      { ticker: 'ZZZZ3', kind: 'acoes', anomesdia: D },
    ]);
    await new Promise((r) => setTimeout(r, 200)); // the alarms are evaluated every 50 ms
    expect(box.published).toEqual([
      expect.objectContaining({ via: expect.stringMatching(/^alarm ProventosDlqAlarm/) }),
    ]);
    expect(box.fn('FunctionsProventos').logs.some((l) => l.includes('"proventos failed"') && l.includes('ZZZZ3'))).toBe(
      true,
    );
    await expectEveryCallAllowed();
  });
});
