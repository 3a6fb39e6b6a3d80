import { RUN_COLUMNS, table, writeObject } from '@b3lake/lake';
import { tempLake, type TempLake } from '../../test-support/lake';
import { runDaily } from '../run-daily';
import { readRuns, recordFinalizedDay, recordRun, runId, type RunRecord } from './record-run';

const RECORD: RunRecord = {
  id: runId(new Date('2022-05-24T21:00:00.123Z'), 'local'),
  businessDate: '2022-05-24',
  startedAt: new Date('2022-05-24T21:00:00.123Z'),
  endedAt: new Date('2022-05-24T21:06:10Z'),
  status: 'partial',
  kinds: ['acoes', 'fiis', 'ibov'],
  tickers: { listed: 1400, landed: 1398, fromArchive: 700, deadLettered: 2 },
  sourceDates: { fundamentus: '2022-05-24', ibov: '2022-05-23' },
  warnings: ['the IBOV portfolio is of 2022-05-23, not of the business date 2022-05-24'],
  version: '0.1.0',
  origin: 'local',
};

describe('the run manifest', () => {
  let lake: TempLake;
  beforeEach(() => (lake = tempLake()));
  afterEach(() => lake.cleanup());

  it('names a run by its start time and origin, sortable and safe as a file name', () => {
    expect(RECORD.id).toBe('20220524-210000123-local');
  });

  it('reads back every field it wrote, and registers the month partition with the catalog', async () => {
    const key = await recordRun(lake.ctx, RECORD);
    expect(key).toBe('tbops_execucoes/anomes_exec=202205/20220524-210000123-local.parquet');
    expect(await readRuns(lake.ctx.stores, '2022-05-24')).toEqual([RECORD]);
    expect(await readRuns(lake.ctx.stores, '2022-05-25')).toEqual([]);
    expect(lake.partitions).toEqual([{ table: 'tbops_execucoes', values: [{ anomes_exec: 202205 }] }]);
  });

  it("keeps a weekly run's dividend counts, and none for a run without dividend pages", async () => {
    const weekly: RunRecord = {
      ...RECORD,
      id: runId(new Date('2022-05-27T21:00:00Z'), 'local'),
      businessDate: '2022-05-27',
      startedAt: new Date('2022-05-27T21:00:00Z'),
      endedAt: new Date('2022-05-27T21:20:00Z'),
      kinds: ['acoes', 'fiis', 'ibov', 'cotahist', 'proventos'],
      dividends: { landed: 1398, deadLettered: 2, rowsAdded: 31, rowsRemoved: 1 },
    };
    await recordRun(lake.ctx, weekly);
    await recordRun(lake.ctx, RECORD);
    expect(await readRuns(lake.ctx.stores, '2022-05-27')).toEqual([weekly]);
    expect((await readRuns(lake.ctx.stores, '2022-05-24'))[0]).not.toHaveProperty('dividends');
  });

  it('reads a row an earlier version wrote, without the dividend columns', async () => {
    const runs = table('runs');
    const old = { ...runs, columns: runs.columns.filter((c) => !c.name.startsWith('qtd_proventos_')) };
    const row = {
      [RUN_COLUMNS.id]: RECORD.id,
      [RUN_COLUMNS.businessDate]: RECORD.businessDate,
      [RUN_COLUMNS.startedAt]: RECORD.startedAt,
      [RUN_COLUMNS.endedAt]: RECORD.endedAt,
      [RUN_COLUMNS.status]: RECORD.status,
      [RUN_COLUMNS.kinds]: RECORD.kinds.join(','),
      [RUN_COLUMNS.listed]: 1400,
      [RUN_COLUMNS.landed]: 1398,
      [RUN_COLUMNS.fromArchive]: 700,
      [RUN_COLUMNS.deadLettered]: 2,
      [RUN_COLUMNS.fundamentusDate]: '2022-05-24',
      [RUN_COLUMNS.ibovDate]: '2022-05-23',
      [RUN_COLUMNS.warnings]: JSON.stringify(RECORD.warnings),
      [RUN_COLUMNS.version]: '0.1.0',
      [RUN_COLUMNS.origin]: 'local',
    };
    await writeObject(lake.ctx.stores('sot'), old, { anomes_exec: 202205 }, RECORD.id, [row]);
    expect(await readRuns(lake.ctx.stores, '2022-05-24')).toEqual([RECORD]);
  });

  it('records a day finalized on AWS from its tables: listed, landed, not landed, latest quote date', async () => {
    await runDaily(lake.ctx, {
      date: '2022-05-24',
      kinds: ['acoes'],
      concurrency: 2,
      deadLetters: { replace: async () => undefined, read: async () => [] },
    });
    const startedAt = new Date('2022-05-24T22:00:05Z');
    const record = await recordFinalizedDay(lake.ctx, 20220524, startedAt, '0.1.0');
    expect(record).toMatchObject({
      id: '20220524-220005000-aws',
      status: 'complete',
      tickers: { listed: 4, landed: 4, fromArchive: 0, deadLettered: 0 },
      sourceDates: { fundamentus: '2022-05-24' },
      warnings: [],
      origin: 'aws',
    });
    expect((await readRuns(lake.ctx.stores, '2022-05-24')).map((r) => r.origin)).toEqual(['local', 'aws']);
  });
});
