/**
 * Issue 8, "one source of truth": a column name typed as a string literal in more than one source
 * file is knowledge kept twice. This measures it over the non-spec sources of libs/ and apps/:
 * every string literal (or template head) that looks like a column name (`vlr_…`, `pct_…`,
 * `num_…`, `dt_…`, `nome_…`, `qtd_…`, `cod_…`), and how many files spell it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const workspace = resolve(__dirname, '../../..');
const COLUMN = /^(?:vlr|pct|num|dt|nome|qtd|cod)_\w*$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', 'cdk.out'].includes(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/** Column-name literals of one file (comments do not count: only string literals and template heads). */
function literalsOf(path: string): Set<string> {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      if (COLUMN.test(node.text)) found.add(node.text);
    }
    node.forEachChild(visit);
  };
  visit(file);
  return found;
}

describe('column names are spelled in one file', () => {
  it('holds for at least 95% of the column-name literals under libs/ and apps/', () => {
    const filesOf = new Map<string, string[]>();
    for (const path of [...sources(join(workspace, 'libs')), ...sources(join(workspace, 'apps'))]) {
      for (const literal of literalsOf(path)) {
        filesOf.set(literal, [...(filesOf.get(literal) ?? []), relative(workspace, path)]);
      }
    }
    const offenders = [...filesOf].filter(([, files]) => files.length > 1);
    const share = 1 - offenders.length / filesOf.size;
    const report = offenders.map(([literal, files]) => `${literal}: ${files.join(', ')}`).join('\n');
    console.log(
      `${filesOf.size - offenders.length} of ${filesOf.size} column-name literals in one file` +
        ` (${(share * 100).toFixed(1)}%)${report ? `; in several:\n${report}` : ''}`,
    );
    expect(filesOf.size).toBeGreaterThan(50); // the scan found the sources
    expect({ share: share >= 0.95, offenders: report }).toEqual({ share: true, offenders: expect.any(String) });
  });
});
