import { randomUUID } from 'node:crypto';
import { ApiError } from './aws-endpoint';
import { ACCOUNT, REGION } from './template';

type Authorize = (action: string, resource: string) => void;
type Input = Record<string, unknown>;

interface Table {
  input: Input;
  partitions: Map<string, Input>;
}

export interface JobRun {
  id: string;
  jobName: string;
  arguments: Record<string, string>;
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
}

/**
 * The Glue APIs the pipeline calls, over an in-memory catalog seeded from the template
 * (databases, tables) — the `default` database only exists once something creates it, as in a
 * fresh account. Job runs are bookkeeping (Spark cannot run here): a run stays RUNNING for
 * `jobDurationMs`, and a second run of a job with MaxConcurrentRuns 1 is refused like Glue does.
 */
export class GlueEmulator {
  readonly databases = new Set<string>();
  readonly tables = new Map<string, Table>();
  readonly jobRuns: JobRun[] = [];
  readonly maxConcurrentRuns = new Map<string, number>();
  jobDurationMs = 200;
  onJobRun: (run: JobRun) => void = () => undefined;

  call(operation: string, input: Input, authorize: Authorize): unknown {
    const db = String(
      input['DatabaseName'] ?? (input['DatabaseInput'] as Input | undefined)?.['Name'] ?? input['Name'] ?? '',
    );
    const tableName = String(
      input['TableName'] ?? (input['TableInput'] as Input | undefined)?.['Name'] ?? input['Name'] ?? '',
    );
    const catalog = `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`;
    const onDatabase = (action: string) =>
      [catalog, `arn:aws:glue:${REGION}:${ACCOUNT}:database/${db}`].forEach((r) => authorize(action, r));
    const onTable = (action: string) => {
      onDatabase(action);
      authorize(action, `arn:aws:glue:${REGION}:${ACCOUNT}:table/${db}/${tableName}`);
    };
    switch (operation) {
      case 'GetDatabase':
        onDatabase('glue:GetDatabase');
        if (!this.databases.has(db)) throw new ApiError('EntityNotFoundException', `Database ${db} not found.`);
        return { Database: { Name: db } };
      case 'CreateDatabase':
        onDatabase('glue:CreateDatabase');
        if (this.databases.has(db)) throw new ApiError('AlreadyExistsException', `Database ${db} already exists.`);
        this.databases.add(db);
        return {};
      case 'GetTable':
        onTable('glue:GetTable');
        return { Table: { ...this.table(db, tableName).input, DatabaseName: db } };
      case 'CreateTable':
      case 'UpdateTable':
        onTable(`glue:${operation}`);
        this.requireDatabase(db);
        this.tables.set(`${db}.${tableName}`, {
          input: input['TableInput'] as Input,
          partitions: this.tables.get(`${db}.${tableName}`)?.partitions ?? new Map(),
        });
        return {};
      case 'BatchCreatePartition': {
        onTable('glue:BatchCreatePartition');
        const table = this.table(db, tableName);
        const errors: unknown[] = [];
        for (const p of input['PartitionInputList'] as { Values: string[] }[]) {
          const key = p.Values.join('/');
          if (table.partitions.has(key))
            errors.push({
              PartitionValues: p.Values,
              ErrorDetail: { ErrorCode: 'AlreadyExistsException', ErrorMessage: 'exists' },
            });
          else table.partitions.set(key, p as Input);
        }
        return { Errors: errors };
      }
      case 'GetPartitions':
        onTable('glue:GetPartitions');
        return { Partitions: [...this.table(db, tableName).partitions.values()] };
      case 'BatchDeletePartition':
        onTable('glue:BatchDeletePartition');
        for (const p of input['PartitionsToDelete'] as { Values: string[] }[])
          this.table(db, tableName).partitions.delete(p.Values.join('/'));
        return { Errors: [] };
      case 'StartJobRun':
        return this.startJobRun(
          String(input['JobName']),
          (input['Arguments'] ?? {}) as Record<string, string>,
          authorize,
        );
      case 'GetJobRun': {
        authorize('glue:GetJobRun', `arn:aws:glue:${REGION}:${ACCOUNT}:job/${String(input['JobName'])}`);
        const run = this.jobRuns.find((r) => r.id === input['RunId']);
        if (!run) throw new ApiError('EntityNotFoundException', `no run ${String(input['RunId'])}`);
        return { JobRun: { Id: run.id, JobName: run.jobName, JobRunState: run.state, Arguments: run.arguments } };
      }
      default:
        throw new ApiError('UnsupportedOperation', `glue:${operation} is not emulated by the cloud-in-a-box`);
    }
  }

  partitions(db: string, table: string): string[] {
    return [...(this.tables.get(`${db}.${table}`)?.partitions.keys() ?? [])].sort();
  }

  private startJobRun(jobName: string, args: Record<string, string>, authorize: Authorize): unknown {
    authorize('glue:StartJobRun', `arn:aws:glue:${REGION}:${ACCOUNT}:job/${jobName}`);
    const active = this.jobRuns.filter((r) => r.jobName === jobName && r.state === 'RUNNING').length;
    if (active >= (this.maxConcurrentRuns.get(jobName) ?? 1))
      throw new ApiError('ConcurrentRunsExceededException', `Concurrent runs exceeded for ${jobName}`);
    const run: JobRun = { id: `jr_${randomUUID().replace(/-/g, '')}`, jobName, arguments: args, state: 'RUNNING' };
    this.jobRuns.push(run);
    this.onJobRun(run);
    setTimeout(() => (run.state = 'SUCCEEDED'), this.jobDurationMs).unref();
    return { JobRunId: run.id };
  }

  private requireDatabase(db: string): void {
    if (!this.databases.has(db)) throw new ApiError('EntityNotFoundException', `Database ${db} not found.`);
  }

  private table(db: string, name: string): Table {
    this.requireDatabase(db);
    const table = this.tables.get(`${db}.${name}`);
    if (!table) throw new ApiError('EntityNotFoundException', `Table ${name} not found.`);
    return table;
  }
}
