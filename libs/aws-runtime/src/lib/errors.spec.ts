import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { awsContext } from './context';
import { readEnv } from './env';

const SRC = join(__dirname, '..');

/** Non-test sources: specs and test support may throw whatever they like. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'test-support'
        ? []
        : sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && e.name !== 'testing.ts'
        ? [join(dir, e.name)]
        : [],
  );
}

describe('aws-runtime errors', () => {
  it('no source throws a plain Error: every failure has a code', () => {
    const plain = sources(SRC).filter((file) => /\bnew (?:Range|Type)?Error\(/.test(readFileSync(file, 'utf8')));
    expect(plain.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('a SQL transformation in a Lambda is refused with a code', async () => {
    const env = readEnv({
      BUCKET_LANDING: 'l',
      BUCKET_SOR: 's',
      BUCKET_SOT: 't',
      BUCKET_SPEC: 'p',
      BUCKET_REFINED: 'r',
    });
    await expect(awsContext(env).sql.transform('SELECT 1', {})).rejects.toMatchObject({ code: 'SQL_NOT_IN_LAMBDA' });
  });
});
