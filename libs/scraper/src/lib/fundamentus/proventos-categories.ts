import { labelKey, matchDamagedKey } from '../parse/text';

/**
 * One value per kind of distribution, whatever the spelling on the page:
 * - `dividendo`: DIVIDENDO, Dividendo, DIVIDENDO MENSAL, Dividendo mensal;
 * - `jcp`: juros sobre capital próprio (JRS CAP PRÓPRIO, JRS CAP PROPRIO);
 * - `juros`: JUROS, Juros, printed as such (the page keeps them apart from JRS CAP PRÓPRIO, so do we);
 * - `rendimento`: a FII's distribution (Rendimento);
 * - `amortizacao`: a return of capital (Amortização);
 * - `outro`: a type this version does not know; the parser reports it (`unknownTipos`, `warnings`).
 */
export type ProventoCategoria = 'dividendo' | 'jcp' | 'juros' | 'rendimento' | 'amortizacao' | 'outro';

/**
 * Every Tipo spelling b3lake maps, by its key (accents removed, lower case, spaces collapsed).
 * Observed on the recorded ITUB4, WEGE3 and HGLG11 pages: DIVIDENDO, Dividendo, DIVIDENDO MENSAL,
 * Dividendo mensal, JRS CAP PRÓPRIO, JRS CAP PROPRIO, JUROS, Juros, Rendimento. The spelled-out
 * "Juros sobre capital próprio" and "Amortização" are the names of those kinds, not seen on these pages.
 */
export const PROVENTO_TIPOS: Readonly<Record<string, Exclude<ProventoCategoria, 'outro'>>> = {
  dividendo: 'dividendo',
  'dividendo mensal': 'dividendo',
  'jrs cap proprio': 'jcp',
  'juros sobre capital proprio': 'jcp',
  juros: 'juros',
  rendimento: 'rendimento',
  amortizacao: 'amortizacao',
};

/** A Map, so a Tipo such as "constructor" never reads a property of Object.prototype. */
const TIPOS = new Map(Object.entries(PROVENTO_TIPOS));
const TIPO_KEYS = [...TIPOS.keys()];

/**
 * The kind of a distribution from its Tipo as printed: case, accents and spacing do not matter
 * (`JRS CAP PRÓPRIO` and `JRS CAP PROPRIO` are both `jcp`). A Tipo not in PROVENTO_TIPOS is
 * `outro`, never a guess. An accent lost to a wrong decoding (U+FFFD) is matched only when
 * exactly one known Tipo fits.
 */
export function categorizeProvento(tipo: string): ProventoCategoria {
  const key = labelKey(tipo);
  return TIPOS.get(key) ?? TIPOS.get(matchDamagedKey(key, TIPO_KEYS) ?? '') ?? 'outro';
}
