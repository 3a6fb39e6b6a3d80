/** @b3lake/replay — a local stand-in for fundamentus.com.br and B3, for tests, demos and benchmarks. */
export { startReplayServer } from './replay-server';
export type { ReplayOptions, ReplayServer, ReplayStats, FaultKind } from './replay-server';
export { syntheticTicker, seededRandom, tickerSeed } from './synthetic';
export {
  COTAHIST_PATH,
  COTAHIST_INSTRUMENTS,
  CotahistFiles,
  cotahistFileText,
  cotahistRecord,
  cotahistSessions,
} from './cotahist-files';
export type { CotahistAnswer, CotahistFilesOptions, CotahistInstrument } from './cotahist-files';
export { stockValues, fundValues } from './asset-values';
export type { AssetValues, Anchors } from './asset-values';
export { cli, startCli, WORKSPACE } from './cli-process';
export type { CliResult, CliOptions } from './cli-process';
export {
  PROVENTOS_PATHS,
  ProventosPages,
  proventosHistory,
  changedHistory,
  yearlyTotals,
  stockPageHtml,
  fundPageHtml,
} from './proventos-pages';
export type { ProventoRow, ProventosAsset, ProventosHistoryOptions, ProventosPagesOptions } from './proventos-pages';
