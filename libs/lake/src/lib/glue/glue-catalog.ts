import { BatchCreatePartitionCommand, GlueClient } from '@aws-sdk/client-glue';
import type { Catalog } from '../catalog';
import { LakeError } from '../errors';
import { partitionPath, type PartitionValues } from '../hive';
import { stagedNames } from '../registry/stage';
import type { TableDef } from '../registry/tables';
import { glueTableInput } from './glue-table';

/** Glue error codes worth another try later (throttling, a service-side failure or timeout). */
const TRANSIENT = new Set(['InternalServiceException', 'OperationTimeoutException', 'ThrottlingException']);

/** Partitions Glue refused to register (other than ones that already exist). */
export class GluePartitionError extends LakeError {
  readonly code = 'GLUE_PARTITION_FAILED';
  override readonly retryable: boolean;
  constructor(
    readonly table: string,
    readonly failures: { values: readonly string[]; code?: string; message?: string }[],
  ) {
    super(
      `Glue BatchCreatePartition failed for ${table}: ${failures
        .map((f) => `${f.values.join('/')}: ${f.code} ${f.message}`)
        .join('; ')}`,
    );
    this.name = 'GluePartitionError';
    this.retryable = failures.every((f) => f.code !== undefined && TRANSIENT.has(f.code));
  }
}

/**
 * The Glue Data Catalog behind the Catalog port. Databases and tables have one owner, the
 * CloudFormation stack (apps/infra builds them from the same registry through glueTableInput),
 * so this adapter never creates or updates them: a Lambda racing the stack could otherwise
 * revert a deployed definition. Partitions are registered with BatchCreatePartition by the
 * step that wrote them (see README: projection cannot express the unbounded `ticker` key of
 * the refined table, and an integer yyyymmdd range would make Athena enumerate thousands of
 * empty partitions).
 */
export class GlueCatalog implements Catalog {
  readonly client: GlueClient;
  private readonly catalogId?: string;
  private readonly stage?: string;

  constructor(
    /** `s3://bucket/prefix/` of each table (its hive root, ending in '/'). */
    private readonly locationOf: (def: TableDef) => string,
    options: { client?: GlueClient; catalogId?: string; stage?: string } = {},
  ) {
    this.client = options.client ?? new GlueClient({});
    this.catalogId = options.catalogId;
    this.stage = options.stage;
  }

  /** No Glue call: the tables are CloudFormation's (see the class comment). */
  async refresh(_tables: readonly TableDef[]): Promise<void> {
    return;
  }

  /** Registers partitions (100 per call); partitions that already exist are fine. */
  async addPartitions(def: TableDef, partitions: readonly PartitionValues[]): Promise<void> {
    const base = glueTableInput(def, this.locationOf(def), this.stage).StorageDescriptor;
    const { database, name } = stagedNames(def, this.stage);
    for (let i = 0; i < partitions.length; i += 100) {
      const chunk = partitions.slice(i, i + 100);
      const result = await this.client.send(
        new BatchCreatePartitionCommand({
          CatalogId: this.catalogId,
          DatabaseName: database,
          TableName: name,
          PartitionInputList: chunk.map((values) => ({
            Values: def.partitionKeys.map((k) => String(values[k.name])),
            StorageDescriptor: {
              ...base,
              Location: `${base.Location}${partitionPath(def, values)}/`,
            },
          })),
        }),
      );
      const failures = (result.Errors ?? []).filter((e) => e.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
      if (failures.length) {
        throw new GluePartitionError(
          `${database}.${name}`,
          failures.map((f) => ({
            values: f.PartitionValues ?? [],
            code: f.ErrorDetail?.ErrorCode,
            message: f.ErrorDetail?.ErrorMessage,
          })),
        );
      }
    }
  }
}
