import { UnknownFormatError, ValueFormatError } from '../errors';
import { parseDecimal, parseInteger, parsePercentPoints, parseShortDate } from '../parse/numbers';
import { cleanText, decodeBody, labelKey } from '../parse/text';
import { damagedTextWarnings } from './text-warnings';
import type { Portfolio, PortfolioRow } from './types';

const TITLE = /^(?:(\w+)\s*-\s*)?Carteira do Dia\s+(\d{2}\/\d{2}\/\d{2,4})/i;
const COLUMNS = {
  setor: 'sector',
  codigo: 'ticker',
  acao: 'name',
  tipo: 'type',
  'qtde.teorica': 'quantity',
  'part.(%)': 'participation',
} as const;

/**
 * Parses B3's portfolio download (`IBOVDia_DD-MM-YY.csv`): Windows-1252, `;`-separated, a
 * title line with the date, a header line, data rows ending in `;`, then two footer lines
 * (total theoretical quantity, reductor). Columns are found by header text, so the
 * by-sector variant (an extra leading `Setor` column) works too.
 */
export function parsePortfolioCsv(body: string | Uint8Array): Portfolio {
  const lines = decodeBody(body)
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
  const title = TITLE.exec(cleanText(lines[0] ?? ''));
  if (!title)
    throw new UnknownFormatError(
      'Not a B3 portfolio CSV: the first line should read "IBOV - Carteira do Dia DD/MM/YY".',
    );
  const headers = (lines[1] ?? '').split(';').map((h) => labelKey(h).replace(/\s+/g, ''));
  const at = Object.fromEntries(
    Object.entries(COLUMNS).map(([header, name]) => [name, headers.indexOf(header)]),
  ) as Record<(typeof COLUMNS)[keyof typeof COLUMNS], number>;
  const missing = (['ticker', 'quantity', 'participation'] as const).filter((k) => at[k] < 0);
  if (missing.length)
    throw new UnknownFormatError(`B3 portfolio CSV header lacks: ${missing.join(', ')} (got "${lines[1]}").`);

  const rows: PortfolioRow[] = [];
  const warnings: string[] = [];
  let total: number | null = null;
  let reductor: number | null = null;
  for (const line of lines.slice(2)) {
    const fields = line.split(';');
    const label = labelKey(fields[0]);
    if (label.startsWith('quantidade teorica total')) {
      total = parseInteger(firstValue(fields), 'Quantidade Teórica Total');
    } else if (label === 'redutor') {
      reductor = parseReductor(firstValue(fields), warnings);
    } else {
      rows.push(toRow(fields, at, rows.length));
    }
  }
  warnings.push(...damagedTextWarnings(rows));
  return {
    source: 'csv',
    index: title[1] ?? null,
    date: parseShortDate(title[2], 'pt-br', 'title date'),
    locale: 'pt-br',
    rows,
    totalTheoreticalQuantity: total,
    reductor,
    warnings,
  };
}

function firstValue(fields: string[]): string {
  return fields.slice(1).find((f) => f.trim() !== '') ?? '-';
}

/** The 2021-03-26 file has `18.296.80337677573` (comma lost): report it instead of guessing. */
function parseReductor(text: string, warnings: string[]): number | null {
  try {
    return parseDecimal(text, 'Redutor');
  } catch {
    warnings.push(`malformed reductor "${text}" ignored; use the JSON portfolio's reductor`);
    return null;
  }
}

function toRow(fields: string[], at: Record<string, number>, i: number): PortfolioRow {
  const ticker = cleanText(fields[at['ticker']] ?? '');
  if (!/^[A-Z0-9]{4,12}$/.test(ticker))
    throw new ValueFormatError(`row ${i + 1}`, fields.join(';'), 'a portfolio row starting with a ticker');
  const participation = parsePercentPoints(fields[at['participation']] ?? '', `${ticker} Part. (%)`);
  const quantity = parseInteger(fields[at['quantity']] ?? '', `${ticker} Qtde. Teórica`);
  if (participation === null || quantity === null)
    throw new ValueFormatError(ticker, fields.join(';'), 'a row with quantity and participation');
  return {
    ticker,
    name: at['name'] >= 0 ? cleanText(fields[at['name']]) : '',
    type: at['type'] >= 0 ? cleanText(fields[at['type']]) : '',
    participation,
    theoreticalQuantity: quantity,
    sector: at['sector'] >= 0 ? cleanText(fields[at['sector']]) : null,
  };
}
