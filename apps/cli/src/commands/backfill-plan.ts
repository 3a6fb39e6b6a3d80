/** A backfill's plan: which files to fetch, load from the archive or skip, from the ledger alone. */
import { coveredByName, isComplete, isTradingDay, type LoadedFile } from '@b3lake/pipeline';
import { cotahistFileName } from '@b3lake/scraper';
import type { RangeEnd } from './backfill';
import type { BackfillReport } from './backfill-report';

/** What to do with one file, decided from the ledger and the landing archive before any request. */
export interface PlannedFile {
  file: string;
  year: number;
  /** fetch: download then load; archive: load what an earlier run downloaded; skip: nothing to do. */
  action: 'fetch' | 'archive' | 'skip';
  /** For a skip: loaded already, or its day held by a loaded annual/monthly file (`coveredBy`). */
  reason?: 'loaded' | 'covered';
  coveredBy?: string;
  /** For a fetch of a file loaded before: this year's annual file, grown since (or --force). */
  refresh?: boolean;
}

export interface BackfillPlan {
  files: PlannedFile[];
  /** Weekends and holidays in a range of days: no file is asked for. */
  nonTradingDays: number;
}

/** The files of a range, decided from the ledger (`loaded`, per year) and the archive (`archived` names, per year). */
export function planBackfill(
  from: RangeEnd,
  to: RangeEnd,
  state: { loaded: (year: number) => readonly LoadedFile[]; archived: (year: number) => ReadonlySet<string> },
  options: { force?: boolean; today: string },
): BackfillPlan {
  const files: PlannedFile[] = [];
  let nonTradingDays = 0;
  const plan = (file: string, year: number, skip: (loaded: readonly LoadedFile[]) => PlannedFile | undefined) => {
    const loaded = state.loaded(year);
    const skipped = options.force ? undefined : skip(loaded);
    if (skipped) return files.push(skipped);
    const before = loaded.some((f) => f.file === file);
    if (!options.force && !before && state.archived(year).has(file))
      return files.push({ file, year, action: 'archive' });
    files.push({ file, year, action: 'fetch', ...(before && { refresh: true }) });
  };
  if (from.date === undefined) {
    for (let year = from.year; year <= to.year; year++) {
      const file = cotahistFileName({ year });
      plan(file, year, (loaded) => {
        const own = loaded.find((f) => f.file === file);
        return own && isComplete(own, options.today) ? { file, year, action: 'skip', reason: 'loaded' } : undefined;
      });
    }
    return { files, nonTradingDays };
  }
  const last = to.date as string;
  for (let ms = Date.parse(`${from.date}T00:00:00Z`); ; ms += 86_400_000) {
    const date = new Date(ms).toISOString().slice(0, 10);
    if (date > last) break;
    if (!isTradingDay(date)) {
      nonTradingDays++;
      continue;
    }
    const year = Number(date.slice(0, 4));
    const file = cotahistFileName({ date });
    plan(file, year, (loaded) => {
      if (loaded.some((f) => f.file === file)) return { file, year, action: 'skip', reason: 'loaded' };
      const holder = coveredByName(loaded, file);
      return holder ? { file, year, action: 'skip', reason: 'covered', coveredBy: holder.file } : undefined;
    });
  }
  return { files, nonTradingDays };
}

/** One sentence: `12 files to fetch, 28 already loaded (3 days held by annual files)`. */
export function planLine(plan: BackfillPlan, force = false): string {
  const n = (what: PlannedFile['action'], reason?: PlannedFile['reason']) =>
    plan.files.filter((f) => f.action === what && (reason === undefined || f.reason === reason)).length;
  const files = (k: number) => `${k} file${k === 1 ? '' : 's'}`;
  const parts = [`${files(n('fetch'))} to fetch${force ? ' (--force: every file again)' : ''}`];
  const refresh = plan.files.filter((f) => f.refresh).length;
  if (refresh && !force) parts[0] += ` (${refresh} incomplete when loaded)`;
  if (n('archive')) parts.push(`${n('archive')} to load from the archive an earlier run downloaded`);
  parts.push(`${n('skip', 'loaded')} already loaded`);
  const covered = n('skip', 'covered');
  if (covered) parts.push(`${covered} day${covered === 1 ? '' : 's'} held by a loaded annual or monthly file`);
  if (plan.nonTradingDays)
    parts.push(`${plan.nonTradingDays} day${plan.nonTradingDays === 1 ? '' : 's'} left out (weekends and B3 holidays)`);
  return parts.join(', ');
}

/** The plan in numbers, for --json. */
export function planCounts(plan: BackfillPlan): BackfillReport['plan'] {
  const n = (test: (f: PlannedFile) => boolean) => plan.files.filter(test).length;
  return {
    toFetch: n((f) => f.action === 'fetch'),
    fromArchive: n((f) => f.action === 'archive'),
    alreadyLoaded: n((f) => f.reason === 'loaded'),
    covered: n((f) => f.reason === 'covered'),
    nonTradingDays: plan.nonTradingDays,
  };
}
