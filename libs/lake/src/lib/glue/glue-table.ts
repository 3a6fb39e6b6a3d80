import type { ColumnType } from '../registry/columns';
import { stagedNames } from '../registry/stage';
import type { TableDef } from '../registry/tables';

const GLUE_TYPE: Record<ColumnType, string> = {
  STRING: 'string',
  DOUBLE: 'double',
  BIGINT: 'bigint',
  INT: 'int',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  BOOLEAN: 'boolean',
};

export interface GlueColumn {
  Name: string;
  Type: string;
  Comment: string;
}

/** The Glue TableInput of a registry table (SDK shape); the CDK stack builds its CfnTables from it too. */
export function glueTableInput(def: TableDef, location: string, stage?: string) {
  const column = (c: { name: string; type: ColumnType; comment: string }): GlueColumn => ({
    Name: c.name,
    Type: GLUE_TYPE[c.type],
    Comment: c.comment.slice(0, 255),
  });
  return {
    Name: stagedNames(def, stage).name,
    Description: def.description,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { EXTERNAL: 'TRUE', classification: 'parquet', 'parquet.compression': 'SNAPPY' },
    PartitionKeys: def.partitionKeys.map(column),
    StorageDescriptor: {
      Columns: def.columns.map(column),
      Location: location,
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: {
        SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        Parameters: { 'serialization.format': '1' },
      },
    },
  };
}

export type GlueTableInput = ReturnType<typeof glueTableInput>;
