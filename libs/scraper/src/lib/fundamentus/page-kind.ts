import type { CheerioAPI } from 'cheerio/slim';
import { AmbiguousTickerError, LayoutChangedError, TickerNotFoundError } from '../errors';
import { cleanText } from '../parse/text';
import { looksBlocked } from '../http/block-page';
import { refuseProventosPage } from './proventos';

/**
 * Throws the typed error for pages that are not an asset's data: "Nenhum papel encontrado",
 * "Selecione o Papel" (with its candidates), a dividend page (DividendPageError: parseProventosPage
 * reads it), a block page, or anything else without labels.
 */
export function throwForNonDataPage($: CheerioAPI, html: string, requested?: string): never {
  const heading = cleanText($('h1').first().text());
  const titleTicker = /FUNDAMENTUS\s*-\s*([A-Z0-9]+)\s*-/i.exec($('title').text())?.[1];
  const ticker = requested ?? titleTicker ?? '';
  if (/nenhum papel encontrado/i.test(heading)) throw new TickerNotFoundError(ticker);
  if (/selecione o papel/i.test(heading)) {
    const candidates = $('table#test1 tbody tr, table.resultado tbody tr')
      .toArray()
      .map((row) => {
        const cells = $(row).children('td');
        return { ticker: cleanText(cells.eq(0).text()), name: cleanText(cells.eq(1).text()) };
      })
      .filter((c) => c.ticker !== '');
    throw new AmbiguousTickerError(ticker, candidates);
  }
  refuseProventosPage(html);
  const blocked = looksBlocked(html);
  throw new LayoutChangedError(
    `detalhes.php ${ticker}`.trim(),
    [],
    blocked ? `${blocked}, not data` : 'no label/data cells found',
  );
}
