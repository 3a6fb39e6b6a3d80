import { Stack } from 'aws-cdk-lib';
import { CfnWorkGroup, CfnNamedQuery } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLES, glueTableInput, stagedNames, table, type Layer, type TableDef } from '@b3lake/lake';

/** Glue `TableInput` (SDK, PascalCase) → CloudFormation properties (camelCase), recursively. */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        /^[A-Z]/.test(k) ? k[0].toLowerCase() + k.slice(1) : k,
        k === 'Parameters' ? v : camel(v),
      ]),
    );
  }
  return value;
}

/**
 * Glue databases and tables generated from the lake's registry (the one source of truth the
 * local DuckDB catalog uses too), and an Athena workgroup with named queries.
 */
export class Catalog extends Construct {
  readonly databases: CfnDatabase[] = [];
  readonly tables = new Map<string, CfnTable>();
  readonly workGroup: CfnWorkGroup;
  readonly defaultDatabase: AwsCustomResource;

  constructor(
    scope: Construct,
    id: string,
    props: { stage: string; buckets: Record<Layer | 'athenaResults', Bucket> },
  ) {
    super(scope, id);
    const account = Stack.of(this).account;
    const databases = new Map<string, CfnDatabase>();
    for (const def of TABLES) {
      const { database } = stagedNames(def, props.stage);
      // `default` exists in every account's catalog; the others belong to this stage.
      if (database !== 'default' && !databases.has(database)) {
        databases.set(
          database,
          new CfnDatabase(this, `Db-${database}`, {
            catalogId: account,
            databaseInput: { name: database, description: `b3lake ${props.stage}: ${database}` },
          }),
        );
      }
    }
    this.databases = [...databases.values()];
    // `default` is where the refined table must live, but a fresh account or region has no such
    // database until something creates it: create it, ignoring AlreadyExists, and never delete it.
    this.defaultDatabase = new AwsCustomResource(this, 'DefaultDatabase', {
      onCreate: {
        service: 'Glue',
        action: 'CreateDatabase',
        parameters: { DatabaseInput: { Name: 'default', Description: 'Default Hive database' } },
        physicalResourceId: PhysicalResourceId.of('glue-default-database'),
        ignoreErrorCodesMatching: 'AlreadyExistsException',
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['glue:CreateDatabase'],
          resources: [
            Stack.of(this).formatArn({ service: 'glue', resource: 'catalog' }),
            Stack.of(this).formatArn({ service: 'glue', resource: 'database', resourceName: 'default' }),
          ],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    for (const def of TABLES) {
      const names = stagedNames(def, props.stage);
      const table = new CfnTable(this, `Table-${def.key}`, {
        catalogId: account,
        databaseName: names.database,
        tableInput: camel(
          glueTableInput(def, this.location(def, props.buckets), props.stage),
        ) as CfnTable.TableInputProperty,
      });
      const db = databases.get(names.database);
      if (db) table.addResourceDependency(db);
      else table.node.addDependency(this.defaultDatabase);
      this.tables.set(def.key, table);
    }

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: `b3lake-${props.stage}`,
      description: 'b3lake queries',
      recursiveDeleteOption: true, // otherwise stack deletion fails on a workgroup with saved queries
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${props.buckets.athenaResults.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    const spec = stagedNames(table('spec_cotacoes'), props.stage);
    const refined = stagedNames(table('ibov_refined'), props.stage);
    const fiis = stagedNames(table('summary_fiis'), props.stage);
    const queries: Record<string, string> = {
      'latest-quotes': [
        'SELECT codigo_ticker_ativo, tipo_ativo, vlr_cot, dt_ult_cot, pct_var_dia, pct_var_12m',
        `FROM ${spec.database}.${spec.name}`,
        `WHERE anomesdia_exec = (SELECT max(anomesdia_exec) FROM ${spec.database}.${spec.name})`,
        'ORDER BY pct_var_dia DESC',
      ].join('\n'),
      'ibov-weights': [
        'SELECT ticker, nome_ativo, pct_participacao',
        `FROM "default"."${refined.name}"`,
        `WHERE date = (SELECT max(date) FROM "default"."${refined.name}")`,
        'ORDER BY pct_participacao DESC',
      ].join('\n'),
      'fii-dividend-yield': [
        'SELECT codigo_ticker, nome_fii, segmento, vlr_div_yield, vlr_p_sobre_vp',
        `FROM ${fiis.database}.${fiis.name}`,
        `WHERE anomesdia_exec = (SELECT max(anomesdia_exec) FROM ${fiis.database}.${fiis.name})`,
        'ORDER BY vlr_div_yield DESC',
      ].join('\n'),
    };
    for (const [name, queryString] of Object.entries(queries)) {
      const query = new CfnNamedQuery(this, `Query-${name}`, {
        name: `b3lake-${props.stage}-${name}`,
        database: spec.database,
        workGroup: this.workGroup.name,
        queryString,
      });
      query.addResourceDependency(this.workGroup);
    }
  }

  location(def: TableDef, buckets: Record<Layer, Bucket>): string {
    return `s3://${buckets[def.layer].bucketName}/${def.name}/`;
  }
}
