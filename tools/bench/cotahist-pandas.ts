/**
 * pandas.read_fwf with the COTAHIST layout's widths, the yardstick of bench:cotahist and
 * bench:cotahist-load: the quote records of a text file read into a DataFrame (implied decimals
 * applied), timed inside python. Uses the python3 found (PATH, then Debian's); installs nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { COTAHIST_QUOTE_FIELDS } from '@b3lake/scraper';

const PANDAS = `
import sys, time, resource, json
import pandas as pd
path, n = sys.argv[1], int(sys.argv[2])
widths, names, scales = (json.loads(arg) for arg in sys.argv[3:6])
start = time.perf_counter()
frame = pd.read_fwf(path, widths=widths, names=names, header=None, skiprows=1, nrows=n, encoding='latin-1')
for name, decimals in scales.items():
    frame[name] = frame[name] / 10 ** decimals
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "rows": len(frame), "peakRss": peak}))
`;

/** A python3 that imports pandas (the PATH one, then Debian's), or undefined. */
export function pythonWithPandas(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}

export interface PandasFigures {
  seconds: number;
  rows: number;
  peakRss: number;
}

/** pandas.read_fwf over the `quotes` records of `file` (after its header). */
export function runPandas(python: string, file: string, quotes: number): PandasFigures {
  const widths = COTAHIST_QUOTE_FIELDS.map((f) => f.end - f.start + 1);
  const names = COTAHIST_QUOTE_FIELDS.map((f) => f.code);
  const scales = Object.fromEntries(
    COTAHIST_QUOTE_FIELDS.filter((f) => typeof f.format === 'object').map((f) => [
      f.code,
      (f.format as { decimals: number }).decimals,
    ]),
  );
  const args = [
    '-c',
    PANDAS,
    file,
    String(quotes),
    JSON.stringify(widths),
    JSON.stringify(names),
    JSON.stringify(scales),
  ];
  const out = execFileSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim()) as PandasFigures;
}
