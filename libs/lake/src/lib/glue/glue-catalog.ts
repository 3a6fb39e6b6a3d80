import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetTableCommand,
  GlueClient,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import type { Catalog } from '../catalog';
import type { PartitionValues } from '../hive';
import { stagedNames } from '../registry/stage';
import type { TableDef } from '../registry/tables';
import { glueTableInput } from './glue-table';

/**
 * The Glue Data Catalog behind the Catalog port. Databases and tables come from the registry;
 * partitions are registered with BatchCreatePartition by the step that wrote them (see README:
 * projection cannot express the unbounded `ticker` key of the refined table, and an integer
 * yyyymmdd range would make Athena enumerate thousands of empty partitions).
 */
export class GlueCatalog implements Catalog {
  readonly client: GlueClient;
  private readonly catalogId?: string;

  constructor(
    /** `s3://bucket/prefix/` of each table (its hive root, ending in '/'). */
    private readonly locationOf: (def: TableDef) => string,
    options: { client?: GlueClient; catalogId?: string; stage?: string } = {},
  ) {
    this.client = options.client ?? new GlueClient({});
    this.catalogId = options.catalogId;
    this.stage = options.stage;
  }

  private readonly stage?: string;

  async refresh(tables: readonly TableDef[]): Promise<void> {
    for (const database of [...new Set(tables.map((t) => stagedNames(t, this.stage).database))]) {
      const exists = await this.client.send(new GetDatabaseCommand({ Name: database, CatalogId: this.catalogId })).then(() => true, notFound);
      if (!exists) await this.client.send(new CreateDatabaseCommand({ CatalogId: this.catalogId, DatabaseInput: { Name: database, Description: `b3lake ${database}` } }));
    }
    for (const def of tables) {
      const input = glueTableInput(def, this.locationOf(def), this.stage);
      const { database, name } = stagedNames(def, this.stage);
      const exists = await this.client.send(new GetTableCommand({ DatabaseName: database, Name: name, CatalogId: this.catalogId })).then(() => true, notFound);
      await this.client.send(
        exists
          ? new UpdateTableCommand({ DatabaseName: database, CatalogId: this.catalogId, TableInput: input })
          : new CreateTableCommand({ DatabaseName: database, CatalogId: this.catalogId, TableInput: input }),
      );
    }
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
            StorageDescriptor: { ...base, Location: `${base.Location}${def.partitionKeys.map((k) => `${k.name}=${values[k.name]}`).join('/')}/` },
          })),
        }),
      );
      const failures = (result.Errors ?? []).filter((e) => e.ErrorDetail?.ErrorCode !== 'AlreadyExistsException');
      if (failures.length) {
        const detail = failures.map((f) => `${f.PartitionValues?.join('/')}: ${f.ErrorDetail?.ErrorCode} ${f.ErrorDetail?.ErrorMessage}`).join('; ');
        throw new Error(`Glue BatchCreatePartition failed for ${database}.${name}: ${detail}`);
      }
    }
  }
}

function notFound(error: unknown): false {
  if ((error as { name?: string }).name === 'EntityNotFoundException') return false;
  throw error;
}
