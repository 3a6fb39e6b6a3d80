import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LakeError, UnknownTableError } from './errors';
import { DuplicateRowsError, UnreadableObjectError } from './dataset';
import { GluePartitionError } from './glue/glue-catalog';
import { UnsafePathError } from './hive';
import { SchemaMismatchError } from './parquet';
import { stagedNames } from './registry/stage';
import { table } from './registry/tables';
import { SqsSendError } from './sqs/sqs-queue';
import { ObjectNotFoundError, assertSafeKey } from './store/object-store';
import { DuckDbWriterError } from './duckdb/writer-error';
import { FixedWidthRecordError } from './fixed-width/mapping';

const SRC = join(__dirname, '..');

/** Non-test sources: specs and test support may throw whatever they like. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'test-support'
        ? []
        : sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('lake errors', () => {
  it('no source throws a plain Error: every failure is a LakeError with a code', () => {
    const plain = sources(SRC).filter((file) => /\bnew (?:Range|Type)?Error\(/.test(readFileSync(file, 'utf8')));
    expect(plain.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('each error has its stable code, retryable flag and name', () => {
    const cases: [LakeError, string, boolean][] = [
      [new ObjectNotFoundError('k', 's3://b/'), 'OBJECT_NOT_FOUND', false],
      [new UnsafePathError('ticker', '..'), 'UNSAFE_PATH', false],
      [new SchemaMismatchError('t', 0, 'c', 1, 'text'), 'SCHEMA_MISMATCH', false],
      [new DuplicateRowsError('t', ['PETR4']), 'DUPLICATE_ROWS', false],
      [new UnreadableObjectError('k', '/lake/', 'bad magic'), 'UNREADABLE_OBJECT', false],
      [new UnknownTableError('nope'), 'UNKNOWN_TABLE', false],
      [new DuckDbWriterError('its worker stopped'), 'DUCKDB_WRITER', false],
      [new FixedWidthRecordError(2, 'kind', 'not a number'), 'FIXED_WIDTH_RECORD', false],
      [new SqsSendError('q', [{ id: '0' }], { senderFault: false }), 'SQS_SEND_FAILED', true],
      [new SqsSendError('q', [{ id: '0' }], { senderFault: true }), 'SQS_SEND_FAILED', false],
      [new GluePartitionError('db.t', [{ values: ['1'], code: 'ThrottlingException' }]), 'GLUE_PARTITION_FAILED', true],
      [
        new GluePartitionError('db.t', [{ values: ['1'], code: 'EntityNotFoundException' }]),
        'GLUE_PARTITION_FAILED',
        false,
      ],
    ];
    for (const [error, code, retryable] of cases) {
      expect(error).toBeInstanceOf(LakeError);
      expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('registry and key checks throw coded errors', () => {
    expect(() => table('nope' as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_TABLE' }));
    expect(() => stagedNames(table('sot_acoes'), 'Dev!')).toThrow(expect.objectContaining({ code: 'INVALID_STAGE' }));
    expect(() => assertSafeKey('../x')).toThrow(UnsafePathError);
  });
});
