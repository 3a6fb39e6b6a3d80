import { HyparquetFixedWidthWriter } from '@b3lake/lake';
import { CotahistNotPublishedError } from '@b3lake/scraper';
import { cotahistFile, cotahistHeader, cotahistQuote, zipOf } from '@b3lake/scraper/testing';
import { tempLake, type TempLake } from '../../test-support/lake';
import { landCotahistFile } from './land';
import { isComplete, type LoadedFile } from './ledger';

const day = (date: string) =>
  cotahistFile([cotahistQuote({ date }), cotahistQuote({ date, ticker: 'VALE3' })]).replace(
    cotahistHeader(),
    cotahistHeader(date),
  );

describe('landing a COTAHIST file', () => {
  let lake: TempLake;
  let requested: string[];
  let published: Record<string, string>;
  beforeEach(() => {
    lake = tempLake();
    requested = [];
    published = { 'COTAHIST_D26032021.ZIP': day('20210326') };
    lake.ctx.fixedWidth = new HyparquetFixedWidthWriter();
    lake.ctx.history = {
      download: async (file: string) => {
        requested.push(file);
        const text = published[file];
        if (!text) throw new CotahistNotPublishedError(file, `https://b3/${file}`, 'HTTP 404');
        const body = zipOf([{ name: file.replace('.ZIP', '.TXT'), data: text }]);
        const chunks = async function* () {
          yield new Uint8Array(body);
        };
        return { url: `https://b3/${file}`, body: chunks(), size: body.length, cancel: async () => undefined };
      },
    };
  });
  afterEach(() => lake.cleanup());

  it('downloads and loads a file once; then the ledger answers without a request', async () => {
    const first = await landCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP');
    expect(first).toMatchObject({ status: 'loaded', downloaded: true, quotes: 2, spotRows: 2 });
    const again = await landCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP');
    expect(again).toMatchObject({ status: 'already-loaded', downloaded: false, quotes: 2 });
    expect(requested).toEqual(['COTAHIST_D26032021.ZIP']);
  });

  it('reports a file B3 has not published as a status, not an error', async () => {
    await expect(landCotahistFile(lake.ctx, 'COTAHIST_D29032021.ZIP')).resolves.toMatchObject({
      status: 'not-published',
      reason: expect.stringContaining('COTAHIST_D29032021.ZIP'),
    });
  });

  it("does not ask for a day a loaded annual file holds, and loads an earlier attempt's archive", async () => {
    published['COTAHIST_A2021.ZIP'] = cotahistFile([
      cotahistQuote({ date: '20210104' }),
      cotahistQuote({ date: '20210326' }),
    ]);
    await landCotahistFile(lake.ctx, 'COTAHIST_A2021.ZIP');
    expect(await landCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP')).toMatchObject({
      status: 'covered',
      coveredBy: 'COTAHIST_A2021.ZIP',
      downloaded: false,
    });
    const archived = zipOf([{ name: 'COTAHIST_D29032021.TXT', data: day('20210329') }]);
    await lake.store('landing').put('cotahist/ano=2021/COTAHIST_D29032021.ZIP', archived);
    expect(await landCotahistFile(lake.ctx, 'COTAHIST_D29032021.ZIP')).toMatchObject({
      status: 'loaded',
      downloaded: false,
    });
    expect(requested).toEqual(['COTAHIST_A2021.ZIP']);
  });

  it('counts a file complete by its own dates, not by when it was loaded (the backfill plan and runs share it)', () => {
    const row = (file: string, lastDate: string, generatedOn = lastDate): LoadedFile => ({
      file,
      kind: file.startsWith('COTAHIST_A') ? 'annual' : file.startsWith('COTAHIST_M') ? 'monthly' : 'daily',
      generatedOn,
      firstDate: lastDate,
      lastDate,
      records: 3,
      quotes: 1,
      spotRows: 1,
      bytes: 10,
      sha256: 'x',
      loadedAt: new Date('2026-11-30T12:00:00Z'),
    });
    const today = '2026-11-30';
    // A past year: complete when it holds the year's last session, or B3 generated it that day or later.
    expect(isComplete(row('COTAHIST_A2021.ZIP', '2021-12-30'), today)).toBe(true);
    expect(isComplete(row('COTAHIST_A2021.ZIP', '2021-12-29', '2021-12-30'), today)).toBe(true);
    // Downloaded mid-year (an archive), loaded years later: still mid-year.
    expect(isComplete(row('COTAHIST_A2021.ZIP', '2021-06-30'), today)).toBe(false);
    const downloaded = (at: string) => ({ downloadedAt: new Date(at) });
    expect(
      isComplete({ ...row('COTAHIST_A2021.ZIP', '2021-06-30'), ...downloaded('2021-07-01T12:00:00Z') }, today),
    ).toBe(false);
    // A last session our calendar does not know of (the file ends before it): downloaded after the
    // year ended, what B3 had is final.
    expect(
      isComplete({ ...row('COTAHIST_A2021.ZIP', '2021-12-28'), ...downloaded('2022-01-03T12:00:00Z') }, today),
    ).toBe(true);
    // February 2021 ended on a Friday, the 26th.
    expect(isComplete(row('COTAHIST_M022021.ZIP', '2021-02-26'), today)).toBe(true);
    expect(isComplete(row('COTAHIST_M022021.ZIP', '2021-02-25'), today)).toBe(false);
    // This year: complete as long as it holds the last session before today (Friday the 27th).
    expect(isComplete(row('COTAHIST_A2026.ZIP', '2026-11-27'), today)).toBe(true);
    expect(isComplete(row('COTAHIST_A2026.ZIP', '2026-11-26'), today)).toBe(false);
    expect(isComplete(row('COTAHIST_A2026.ZIP', '2026-11-27'), '2026-12-01')).toBe(false);
    expect(isComplete(row('COTAHIST_D26032021.ZIP', '2021-03-26'), today)).toBe(true);
  });
});
