import { readPartition, table } from '@b3lake/lake';
import type { RequestOptions } from '@b3lake/scraper';
import { fixtureBytes, fixtureSource, tempLake } from '../../test-support/lake';
import { readArchive } from './archive';
import { extractStep } from './extract';

describe('extractStep', () => {
  it('passes the request bounds (deadline, signal) to the source, writes nothing when the fetch fails', async () => {
    const lake = tempLake();
    try {
      const seen: (RequestOptions | undefined)[] = [];
      lake.ctx.fundamentus = {
        ...fixtureSource,
        fetchDetailPage: async (ticker, options) => {
          seen.push(options);
          if (ticker === 'VALE3') throw Object.assign(new Error('deadline reached'), { code: 'DEADLINE_EXCEEDED' });
          return fixtureSource.fetchDetailPage(ticker, options);
        },
      };
      const signal = new AbortController().signal;
      await expect(
        extractStep(lake.ctx, { ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 }, { deadline: 123, signal }),
      ).resolves.toEqual({ ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524, quoteDate: '2022-05-24' });
      await expect(extractStep(lake.ctx, { ticker: 'VALE3', kind: 'acoes', anomesdia: 20220524 })).rejects.toThrow(
        'deadline reached',
      );
      expect(seen).toEqual([{ deadline: 123, signal }, undefined]);
      expect(lake.puts.filter((k) => k.includes('VALE3'))).toEqual([]);
    } finally {
      lake.cleanup();
    }
  });
});

describe('extractStep writes', () => {
  it('archives the exact bytes, then the SoR row (the page text) and the raw-page index row', async () => {
    const lake = tempLake();
    try {
      await extractStep(lake.ctx, { ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 });
      const archiveKey = 'fundamentus/anomesdia_exec=20220524/acoes/PETR4.html.gz';
      expect(lake.puts).toEqual([
        `landing:${archiveKey}`,
        'sor:tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec=20220524/PETR4.parquet',
        'sor:tbsor_fundamentus_paginas_raw/anomesdia_exec=20220524/PETR4.parquet',
      ]);
      expect(Buffer.from(await readArchive(lake.store('landing'), archiveKey))).toEqual(
        Buffer.from(fixtureBytes('detalhes_PETR4.html')),
      );
      const [sor] = await readPartition(lake.store('sor'), table('sor_acoes'), { anomesdia_exec: 20220524 });
      expect(sor).toMatchObject({ nome_papel: 'PETR4', vlr_cot: '31,60', pct_var_dia: '-2,91%' });
      const [index] = await readPartition(lake.store('sor'), table('raw_pages'), { anomesdia_exec: 20220524 });
      expect(index).toMatchObject({
        codigo_ticker: 'PETR4',
        nome_objeto: archiveKey,
        num_bytes: fixtureBytes('detalhes_PETR4.html').byteLength,
      });
    } finally {
      lake.cleanup();
    }
  });

  it('archives a page before parsing it: an unparseable page is kept for reprocess, no SoR row written', async () => {
    const lake = tempLake();
    try {
      lake.ctx.fundamentus = {
        ...fixtureSource,
        fetchDetailPage: (_t, o) => fixtureSource.fetchDetailPage('XXXX99', o),
      };
      await expect(
        extractStep(lake.ctx, { ticker: 'ABCD3', kind: 'acoes', anomesdia: 20220524 }),
      ).rejects.toMatchObject({
        code: 'TICKER_NOT_FOUND',
      });
      expect(lake.puts).toEqual(['landing:fundamentus/anomesdia_exec=20220524/acoes/ABCD3.html.gz']);
    } finally {
      lake.cleanup();
    }
  });
});
