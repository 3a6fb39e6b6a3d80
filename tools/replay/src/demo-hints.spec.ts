import { spawnSync } from 'node:child_process';
import { demoHints, demoQuery, shellWord, typed } from './demo-hints';

/** The words a POSIX shell makes of a printed command line (none of ours holds a newline). */
const shellWords = (line: string): string[] =>
  spawnSync('sh', ['-c', `set -- ${line}; printf '%s\\n' "$@"`], { encoding: 'utf8' })
    .stdout.split('\n')
    .slice(0, -1);

describe('the demo hints', () => {
  it('are npx b3lake commands on the demo lake, --data-dir included', () => {
    for (const hint of [demoQuery('data/demo'), ...demoHints('data/demo').slice(0, -1)]) {
      expect(typed(hint)).toMatch(/^npx b3lake \S+ .*--data-dir data\/demo$/);
    }
  });

  it('reach b3lake with exactly their arguments when pasted into a shell', () => {
    for (const hint of [demoQuery('my demo'), ...demoHints("it's/here")]) {
      expect(shellWords(typed(hint))).toEqual(['npx', 'b3lake', ...hint]);
    }
  });

  it('quote a word only when the shell needs it', () => {
    expect(shellWord('data/demo')).toBe('data/demo');
    expect(shellWord('SELECT 1')).toBe("'SELECT 1'");
    expect(shellWord('"default".t')).toBe(`'"default".t'`);
    expect(shellWord("WHERE t = 'PETR4'")).toBe(`"WHERE t = 'PETR4'"`);
    expect(shellWord("t = 'a' AND $x")).toBe(`'t = '\\''a'\\'' AND $x'`);
  });
});
