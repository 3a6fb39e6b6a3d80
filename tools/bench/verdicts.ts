import { cpus, loadavg } from 'node:os';

/** The figures table the COTAHIST lake benchmarks end with: each figure beside its target, PASS or MISS. */

export interface Verdict {
  what: string;
  figure: string;
  target: string;
  /** true PASS, false MISS, undefined: for information (no target). */
  met?: boolean;
  /** figure ÷ target. */
  ratio?: number;
}

export function printVerdicts(title: string, verdicts: readonly Verdict[]): void {
  const widths = [
    Math.max(...verdicts.map((v) => v.what.length), 'figure'.length),
    Math.max(...verdicts.map((v) => v.figure.length), 'measured'.length),
    Math.max(...verdicts.map((v) => v.target.length), 'target'.length),
  ];
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ');
  console.log(`\n${title}`);
  console.log(line(['figure', 'measured', 'target', 'verdict']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('-------')));
  for (const v of verdicts) {
    const verdict = v.met === undefined ? 'info' : v.met ? 'PASS' : 'MISS';
    const ratio = v.ratio === undefined ? '' : ` (measured/target ${v.ratio.toFixed(2)})`;
    console.log(line([v.what, v.figure, v.target, verdict + (v.met === undefined ? '' : ratio)]));
  }
}

/** The machine's load average now, as `uptime` prints it, and the processors. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} on ${cpus().length} CPUs`;
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
