import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CotahistClient } from '@b3lake/scraper';
import { awsContext } from './context';
import { readEnv } from './env';

const ENV = {
  BUCKET_LANDING: 'l',
  BUCKET_SOR: 'b3lake-test-sor',
  BUCKET_SOT: 'sot',
  BUCKET_SPEC: 'spec',
  BUCKET_REFINED: 'ref',
};
const EMPTY_LISTING = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b3lake-test-sor</Name><Prefix></Prefix>',
  '<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>',
].join('');

describe('awsContext', () => {
  let server: Server;
  const seen: { host?: string; url?: string }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ host: req.headers.host, url: req.url });
      res.writeHead(200, { 'Content-Type': 'application/xml' }).end(EMPTY_LISTING);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    process.env = saved;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('addresses S3 path-style when B3LAKE_S3_FORCE_PATH_STYLE=true (for S3-compatible endpoints)', async () => {
    // `localhost`, not an IP: the SDK would otherwise put the bucket in the host name.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: `http://localhost:${(server.address() as AddressInfo).port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'k',
      AWS_SECRET_ACCESS_KEY: 's',
    });
    const env = readEnv({ ...ENV, B3LAKE_S3_FORCE_PATH_STYLE: 'true' });
    expect(env.s3ForcePathStyle).toBe(true);
    expect(await awsContext(env).stores('sor').list('tbsor_x/')).toEqual([]);
    expect(seen).toEqual([
      {
        host: `localhost:${(server.address() as AddressInfo).port}`,
        url: expect.stringMatching(/^\/b3lake-test-sor\/?\?list-type=2&prefix=tbsor_x%2F/),
      },
    ]);
  });

  it('keeps virtual-hosted addressing by default', () => {
    expect(readEnv(ENV).s3ForcePathStyle).toBe(false);
    expect(readEnv({ ...ENV, B3LAKE_S3_FORCE_PATH_STYLE: '1' }).s3ForcePathStyle).toBe(false);
  });

  it('refresh never reaches Glue: tables are CloudFormation’s', async () => {
    // No Glue client is even loaded; a call would fail here for lack of a Glue endpoint mock.
    await expect(awsContext(readEnv(ENV)).catalog.refresh([])).resolves.toBeUndefined();
  });

  it('downloads COTAHIST from COTAHIST_URL (B3 by default) and has a fixed-width writer', () => {
    const ctx = awsContext(readEnv({ ...ENV, COTAHIST_URL: 'http://127.0.0.1:9/InstDados/SerHist/' }));
    expect(ctx.history).toBeInstanceOf(CotahistClient);
    expect((ctx.history as CotahistClient).baseUrl).toBe('http://127.0.0.1:9/InstDados/SerHist');
    expect((awsContext(readEnv(ENV)).history as CotahistClient).baseUrl).toMatch(/^https:\/\/bvmf\.bmfbovespa/);
    expect(typeof ctx.fixedWidth?.write).toBe('function'); // the hyparquet writer, loaded on first use
    // The stores stream large objects (their S3Store is loaded on first use).
    const store = ctx.stores('landing');
    expect([typeof store.putFile, typeof store.putStream, typeof store.getStream]).toEqual([
      'function',
      'function',
      'function',
    ]);
  });

  it('takes B3LAKE_NOW as the business clock’s start (a past evening replayed); a malformed one fails', () => {
    const clock = awsContext(readEnv({ ...ENV, B3LAKE_NOW: '2022-05-24T23:30:00Z' })).clock;
    expect(clock.now().getTime() - Date.parse('2022-05-24T23:30:00Z')).toBeLessThan(1_000);
    expect(Math.abs(awsContext(readEnv(ENV)).clock.now().getTime() - Date.now())).toBeLessThan(1_000);
    expect(() => readEnv({ ...ENV, B3LAKE_NOW: '24/05/2022' })).toThrow(/B3LAKE_NOW must be an ISO instant/);
  });
});
