import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { HyparquetFixedWidthWriter, decodeParquet, table, type FixedWidthWriter } from '@b3lake/lake';
import { DuckDbFixedWidthWriter } from '@b3lake/lake/duckdb';
import { cotahistFile, cotahistHeader, cotahistQuote, cotahistTrailer, zipOf } from '@b3lake/scraper/testing';
import { tempLake, type TempLake } from '../../test-support/lake';
import { loadedFiles } from './ledger';
import { cotahistArchiveKey, loadCotahistFile } from './load';

const SOT = table('cotahist');
const SPOT = table('cotahist_spot');
/** shared/fixtures/real beside the workspace (or B3LAKE_REAL_FIXTURES): recorded by others, never copied here. */
function realDay(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const root = process.env['B3LAKE_REAL_FIXTURES'] ?? resolve(dir, '..', 'shared', 'fixtures', 'real');
  return join(root, 'cotahist', 'COTAHIST_D26032021_pedrosampaiomatias.TXT');
}
const REAL_DAY = realDay();
// The DuckDB writer spawns a worker thread and DuckDB per load: several seconds on a busy CI machine.
jest.setTimeout(30_000);

/** A day file with a share, a FII quoted per 1,000, a call option and a rights line. */
function dayFile(date = '20210326'): string {
  const prices = (close: number) => [close, close, close, close, close, close, close];
  return cotahistFile([
    cotahistQuote({ date, ticker: 'PETR4', prices: prices(2346) }),
    cotahistQuote({ date, ticker: 'FNAM11', bdi: '12', factor: 1000, prices: prices(123457) }),
    cotahistQuote({ date, ticker: 'PETRD240', bdi: '78', market: 70, expiry: '20210419' }),
    cotahistQuote({ date, ticker: 'ABCB10', bdi: '10' }),
  ]).replace(cotahistHeader(), cotahistHeader(date));
}

async function archive(lake: TempLake, name: string, text: string, zipped = true): Promise<void> {
  const entry = name.replace(/\.ZIP$/, '.TXT');
  const body = zipped ? zipOf([{ name: entry, data: text }]) : Buffer.from(text, 'latin1');
  await lake.store('landing').put(cotahistArchiveKey(name), body);
}

describe.each([
  ['DuckDB', () => new DuckDbFixedWidthWriter()],
  ['hyparquet', () => new HyparquetFixedWidthWriter()],
] as const)('loading a COTAHIST file (%s writer)', (_, writer: () => FixedWidthWriter) => {
  let lake: TempLake;
  beforeEach(() => {
    lake = tempLake();
    lake.ctx.fixedWidth = writer();
  });
  afterEach(() => lake.cleanup());

  const rows = async (def: typeof SOT, stem: string, year = 2021) =>
    decodeParquet(def, await lake.store(def.layer).get(`${def.name}/ano=${year}/${stem}.parquet`));

  it('writes every record to SoT and the spot shares, funds and ETFs to Spec, prices per share', async () => {
    await archive(lake, 'COTAHIST_D26032021.ZIP', dayFile());
    const result = await loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP');
    expect(result).toMatchObject({ status: 'loaded', year: 2021, replaced: [] });
    expect(result.loaded).toMatchObject({ quotes: 4, spotRows: 2, records: 6, firstDate: '2021-03-26' });
    const sot = await rows(SOT, 'COTAHIST_D26032021');
    sot.sort(byTicker);
    expect(sot.map((r) => r['codigo_ticker'])).toEqual(['ABCB10', 'FNAM11', 'PETR4', 'PETRD240']);
    expect(sot[1]).toMatchObject({ fator_cotacao: 1000, vlr_fechamento: 123457 / 100_000 });
    expect(sot[3]).toMatchObject({ tipo_mercado: 70, dt_vencimento: '2021-04-19' });
    expect(sot[2]).toMatchObject({ dt_vencimento: null, nome_arquivo: 'COTAHIST_D26032021.ZIP' });
    const spot = await rows(SPOT, 'COTAHIST_D26032021');
    expect(spot.map((r) => r['codigo_ticker']).sort()).toEqual(['FNAM11', 'PETR4']);
    expect(lake.partitions.map((p) => p.table)).toEqual([SOT.name, SPOT.name, 'tbops_cotahist_arquivos']);
  });

  it('changes nothing when the same bytes are loaded again, and reloads them with force', async () => {
    await archive(lake, 'COTAHIST_D26032021.ZIP', dayFile());
    await loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP');
    const puts = lake.puts.length;
    expect(await loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP')).toMatchObject({ status: 'unchanged' });
    expect(lake.puts.length).toBe(puts);
    expect(await loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP', { force: true })).toMatchObject({
      status: 'loaded',
    });
  });

  it('replaces the daily files an annual file holds, and keeps out a daily file the annual holds', async () => {
    await archive(lake, 'COTAHIST_D25032021.ZIP', dayFile('20210325'));
    await archive(lake, 'COTAHIST_D26032021.ZIP', dayFile('20210326'));
    await archive(lake, 'COTAHIST_D29032021.ZIP', dayFile('20210329'));
    for (const day of ['25', '26', '29']) await loadCotahistFile(lake.ctx, `COTAHIST_D${day}032021.ZIP`);
    const annual = cotahistFile([
      cotahistQuote({ date: '20210104', ticker: 'PETR4' }),
      cotahistQuote({ date: '20210326', ticker: 'PETR4' }),
    ]);
    await archive(lake, 'COTAHIST_A2021.ZIP', annual);
    const result = await loadCotahistFile(lake.ctx, 'COTAHIST_A2021.ZIP');
    expect(result.replaced).toEqual(['COTAHIST_D25032021.ZIP', 'COTAHIST_D26032021.ZIP']);
    const files = await loadedFiles(lake.store('sot'), 2021);
    expect(files.map((f) => f.file)).toEqual(['COTAHIST_A2021.ZIP', 'COTAHIST_D29032021.ZIP']);
    const sotKeys = (await lake.store('sot').list(`${SOT.name}/`)).map((o) => o.key);
    expect(sotKeys).toEqual([
      `${SOT.name}/ano=2021/COTAHIST_A2021.parquet`,
      `${SOT.name}/ano=2021/COTAHIST_D29032021.parquet`,
    ]);
    const again = await loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP', { force: true });
    expect(again).toMatchObject({ status: 'covered', coveredBy: 'COTAHIST_A2021.ZIP' });
    expect((await lake.store('sot').list(`${SOT.name}/`)).map((o) => o.key)).toEqual(sotKeys);
  });

  it('keeps a ledger the caller holds current, without reading the ledger objects again', async () => {
    const ledger = await loadedFiles(lake.store('sot'), 2021);
    for (const day of ['25', '26']) {
      await archive(lake, `COTAHIST_D${day}032021.ZIP`, dayFile(`202103${day}`));
      await loadCotahistFile(lake.ctx, `COTAHIST_D${day}032021.ZIP`, { ledger });
    }
    expect(ledger.map((f) => f.file)).toEqual(['COTAHIST_D25032021.ZIP', 'COTAHIST_D26032021.ZIP']);
    await archive(lake, 'COTAHIST_A2021.ZIP', dayFile('20210326').replace(/20210326/g, '20210325'));
    await loadCotahistFile(lake.ctx, 'COTAHIST_A2021.ZIP', { ledger });
    expect(ledger.map((f) => f.file)).toEqual(['COTAHIST_A2021.ZIP', 'COTAHIST_D26032021.ZIP']);
    expect(ledger).toEqual(await loadedFiles(lake.store('sot'), 2021));
  });

  it('stops between batches when its signal is aborted, recording nothing', async () => {
    await archive(lake, 'COTAHIST_D26032021.ZIP', dayFile());
    const signal = AbortSignal.abort();
    await expect(loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP', { signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(await loadedFiles(lake.store('sot'), 2021)).toEqual([]);
  });

  it('refuses a file holding a quote outside its name’s year, writing nothing', async () => {
    await archive(lake, 'COTAHIST_A2020.ZIP', dayFile());
    await expect(loadCotahistFile(lake.ctx, 'COTAHIST_A2020.ZIP')).rejects.toMatchObject({
      code: 'COTAHIST_WRONG_YEAR',
      message: expect.stringContaining('2021-03-26'),
    });
    expect(await lake.store('sot').list('')).toEqual([]);
  });

  it('names the line and the layout field of a malformed value, writing nothing', async () => {
    const text = dayFile().replace(/\n(01.{55})0/, '\n$1X');
    await archive(lake, 'COTAHIST_D26032021.ZIP', text);
    await expect(loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP')).rejects.toMatchObject({
      code: 'COTAHIST_FORMAT',
      line: 2,
      field: 'PREABE',
      message: expect.stringContaining('is not a number'),
    });
    expect(await lake.store('sot').list('')).toEqual([]);
  });

  it('refuses a truncated file (trailer count) and writes nothing', async () => {
    const text = dayFile().replace(cotahistTrailer(6), cotahistTrailer(1745));
    await archive(lake, 'COTAHIST_D26032021.ZIP', text);
    await expect(loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP')).rejects.toMatchObject({
      code: 'COTAHIST_INCOMPLETE',
    });
    expect(await lake.store('sot').list('')).toEqual([]);
  });

  const real = existsSync(REAL_DAY) ? it : it.skip;
  if (!existsSync(REAL_DAY)) process.stderr.write(`\n[pipeline] real COTAHIST round trip SKIPPED: no ${REAL_DAY}\n\n`);

  real('keeps every field of the 6,100 records of the recorded 2021-03-26 file', async () => {
    const text = readFileSync(REAL_DAY);
    await archive(lake, 'COTAHIST_D26032021.ZIP', text.toString('latin1'), false);
    const result = await loadCotahistFile(lake.ctx, 'COTAHIST_D26032021.ZIP');
    expect(result.loaded).toMatchObject({ quotes: 6100, records: 6102 });
    const sot = await rows(SOT, 'COTAHIST_D26032021');
    // Row order within a file carries no meaning (DuckDB writes row groups as they fill).
    expect(sot.sort(byRecord)).toEqual(independentReading(text, 'COTAHIST_D26032021.ZIP').sort(byRecord));
    const spot = await rows(SPOT, 'COTAHIST_D26032021');
    expect(spot.find((r) => r['codigo_ticker'] === 'PETR4')).toMatchObject({
      dt_pregao: '2021-03-26',
      vlr_abertura: 23.48,
      vlr_maximo: 23.88,
      vlr_minimo: 23.11,
      vlr_fechamento: 23.46,
      qtd_negocios: 64400,
      vlr_volume: 1433177694,
    });
    expect(spot.length).toBe(result.loaded.spotRows);
    expect(new Set(spot.map((r) => r['tipo_mercado']))).toEqual(new Set([10]));
  });
});

const byTicker = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a['codigo_ticker']).localeCompare(String(b['codigo_ticker']));
const recordKey = (r: Record<string, unknown>) =>
  `${r['codigo_ticker']}|${r['tipo_mercado']}|${r['cod_bdi']}|${r['prazo_termo']}`;
const byRecord = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  recordKey(a) < recordKey(b) ? -1 : recordKey(a) > recordKey(b) ? 1 : 0;

/**
 * The layout read again, by substring and without the parser or the mapping: positions typed
 * from the layout document (1-based, inclusive), prices divided by FATCOT.
 */
function independentReading(text: Buffer, file: string): Record<string, unknown>[] {
  const lines = text
    .toString('latin1')
    .split(/\r?\n/)
    .filter((l) => l.startsWith('01'));
  const at = (l: string, from: number, to: number) => l.slice(from - 1, to);
  const n = (l: string, from: number, to: number) => Number(at(l, from, to));
  const d = (l: string, from: number) =>
    `${at(l, from, from + 3)}-${at(l, from + 4, from + 5)}-${at(l, from + 6, from + 7)}`;
  return lines.map((l) => {
    const factor = n(l, 211, 217);
    const price = (from: number) => n(l, from, from + 12) / (100 * factor);
    return {
      dt_pregao: d(l, 3),
      codigo_ticker: at(l, 13, 24).trimEnd(),
      cod_bdi: at(l, 11, 12),
      tipo_mercado: n(l, 25, 27),
      nome_resumido: at(l, 28, 39).trimEnd(),
      especificacao: at(l, 40, 49).trimEnd(),
      prazo_termo: at(l, 50, 52).trimEnd(),
      moeda: at(l, 53, 56).trimEnd(),
      vlr_abertura: price(57),
      vlr_maximo: price(70),
      vlr_minimo: price(83),
      vlr_medio: price(96),
      vlr_fechamento: price(109),
      vlr_melhor_oferta_compra: price(122),
      vlr_melhor_oferta_venda: price(135),
      qtd_negocios: n(l, 148, 152),
      qtd_titulos: n(l, 153, 170),
      vlr_volume: n(l, 171, 188) / 100,
      vlr_exercicio: n(l, 189, 201) / 100,
      ind_correcao_exercicio: n(l, 202, 202),
      dt_vencimento: at(l, 203, 210) === '99991231' ? null : d(l, 203),
      fator_cotacao: factor,
      vlr_exercicio_pontos: n(l, 218, 230) / 1e6,
      cod_isin: at(l, 231, 242).trimEnd(),
      num_distribuicao: n(l, 243, 245),
      nome_arquivo: file,
    };
  });
}
