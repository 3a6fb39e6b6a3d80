/**
 * @b3lake/pipeline — the daily steps as functions over ports (stores, catalog, SQL engine,
 * clock, sources). The CLI runs them in one process; the Lambdas call the same functions.
 */
export * from './lib/ports';
export * from './lib/calendar';
export * from './lib/dead-letters';
export {
  PipelineError,
  InvalidDateError,
  ListingMismatchError,
  PortfolioWithoutDateError,
  NotDailyTableError,
  errorCode,
} from './lib/errors';
export { sorRow, sotRow, specRow, summaryRows } from './lib/rows';
export { startRun, toAnomesdia, fromAnomesdia, assertIsoDate, assertAnomesdia } from './lib/steps/start';
export type { RunDate, StartResult } from './lib/steps/start';
export { listStep } from './lib/steps/list';
export type { ListResult } from './lib/steps/list';
export { extractStep, writeSor } from './lib/steps/extract';
export type { Extracted } from './lib/steps/extract';
export { prepareStep, specializeStep } from './lib/steps/prepare';
export type { StepOutcome } from './lib/steps/prepare';
export { finalizeStep, DAILY_TABLES, DuplicateRowsError } from './lib/steps/finalize';
export type { TableFinal } from './lib/steps/finalize';
export { ibovStep, ingestIbov, refineIbov } from './lib/steps/ibov';
export { itemFromObjectKey, ibovDateFromObjectKey, decodeEventKey } from './lib/steps/object-keys';
export type { IbovResult } from './lib/steps/ibov';
export { reprocessDay } from './lib/steps/reprocess';
export type { ReprocessResult } from './lib/steps/reprocess';
export {
  pageArchiveKey,
  pageArchivePrefix,
  parsePageArchiveKey,
  listingArchiveKey,
  b3ArchiveKey,
} from './lib/steps/archive';
export { derivedBy, rowDerivation } from './lib/steps/derivations';
export { runDaily, defaultRunKinds, DAILY_RUN_KINDS } from './lib/run-daily';
export { RUN_STATUSES, readRuns, recordFinalizedDay, recordRun, runId } from './lib/steps/record-run';
export type { RunRecord, RunStatus } from './lib/steps/record-run';
export type { RunOptions, RunEvent, RunSummary, RunKind } from './lib/run-daily';
export { IBOV_REFINE_SQL_PATH, ibovRefineSql } from './lib/sql';
export {
  cotahistArchiveKey,
  fetchCotahistFile,
  loadCotahistFile,
  CotahistWrongYearError,
  HistoryNotConfiguredError,
} from './lib/cotahist/load';
export type { CotahistLoadResult, CotahistLoadStatus, FetchedCotahist, LoadOptions } from './lib/cotahist/load';
export { loadedFiles, loadedFile, coveredByName, covers, isComplete, periodEnd } from './lib/cotahist/ledger';
export type { LoadedFile } from './lib/cotahist/ledger';
export { cotahistMapping, SPOT_FILTER } from './lib/cotahist/mapping';
export {
  proventosStep,
  storeProventos,
  proventosRows,
  proventosArchiveKey,
  ProventosNotSupportedError,
  ProventosKindMismatchError,
  PROVENTOS,
} from './lib/proventos/step';
export type { ProventosOutcome } from './lib/proventos/step';
export { proventosDue, proventosPhase, proventosAll, changeWarning, PROVENTOS_KIND } from './lib/proventos/run';
export type {
  ProventosSummary,
  ProventosTicker,
  ProventosChange,
  ProventosPhaseOptions,
  ProventosPhaseResult,
} from './lib/proventos/run';
export { landCotahistFile } from './lib/cotahist/land';
export type { LandResult, LandStatus } from './lib/cotahist/land';
