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
import { DAILY, localStores, objectsOf, rowsOf, s3Stores } from './lake-reader';

jest.setTimeout(120_000);

const FIXTURES = join(WORKSPACE, 'tools', 'fixtures');
const D = '2022-05-24';
const PARTITION = { anomesdia_exec: 20220524 };
/** Service delays (visibility timeouts, Wait states, retry delays) run 200× faster than on AWS. */
const TIME_SCALE = 0.005;

const dirs: string[] = [];
const open: { stop(): Promise<void> }[] = [];

async function replay(options: { tickers: number; permanentFailures?: string[]; stalls?: string[] }): Promise<ReplayServer> {
  const server = await startReplayServer({ fixturesDir: FIXTURES, syntheticTickers: options.tickers, permanentFailures: options.permanentFailures, stalls: options.stalls, retryAfterSeconds: 0 });
  open.push(server);
  return server;
}

async function cloud(sites: ReplayServer, extra: { delivery?: DeliveryPolicy; timeouts?: Record<string, number> } = {}): Promise<Cloud> {
  const box = await Cloud.start({ sitesUrl: sites.url, timeScale: TIME_SCALE, ...extra });
  open.unshift(box);
  return box;
}

function stores(box: Cloud) {
  const buckets: Record<string, string> = { landing: box.bucket('StorageLanding'), sor: box.bucket('StorageSor'), sot: box.bucket('StorageSot'), spec: box.bucket('StorageSpec'), refined: box.bucket('StorageRefined') };
  return s3Stores(box.endpoint.url, (layer) => buckets[layer]);
}

async function expectEveryCallAllowed(box: Cloud): Promise<void> {
  const denied = await box.iam.denied(box.requests);
  expect(denied.map((d) => `${d.request.via} on ${d.request.resource} ${JSON.stringify(d.request.context ?? {})} → ${d.result}`)).toEqual([]);
}

/** The daily extraction as AWS runs it: the list function (as the 18:45 schedule would, for D) then the finalize workflow. */
async function runDay(box: Cloud, date = D) {
  const listed = await box.fn('FunctionsList').invoke({ date });
  expect(listed).toMatchObject({ ok: true });
  const execution = await box.startExecution({ date });
  await box.idle();
  return execution;
}

afterAll(async () => {
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
    const local = await cli(['run', '--date', D, '--data-dir', dir, '--fundamentus-url', sites.url, '--b3-url', sites.url, '--min-interval', '0']);
    expect(local.code).toBe(0);

    const aws = stores(box);
    for (const key of DAILY) {
      const [mine, theirs] = [await rowsOf(aws, key, PARTITION), await rowsOf(localStores(dir), key, PARTITION)];
      expect({ key, rows: mine.length }).toEqual({ key, rows: theirs.length });
      expect(mine).toEqual(theirs);
      expect(await objectsOf(aws, key, 'anomesdia_exec=20220524/')).toHaveLength(1);
    }
    expect(await rowsOf(aws, 'ibov_raw', { date: D })).toEqual(await rowsOf(localStores(dir), 'ibov_raw', { date: D }));
    expect(box.published).toEqual([]);
    await expectEveryCallAllowed(box);
  });
});
