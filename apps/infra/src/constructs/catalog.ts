import { Stack } from 'aws-cdk-lib';
import { CfnWorkGroup, CfnNamedQuery } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  COTAHIST_COLUMNS,
  COTAHIST_YEAR_KEY,
  TABLES,
  VIEWS,
  glueTableInput,
  stagedNames,
  table,
  type Layer,
  type TableDef,
  type TableKey,
  type ViewDef,
} from '@b3lake/lake';

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

/** The Glue names of a view in a stage: a view is named as a table is (its database and name), so the same rule. */
export function stagedView(view: ViewDef, stage: string): { database: string; name: string } {
  return stagedNames({ database: view.database, name: view.name } as TableDef, stage);
}

/** A table or view as Athena's SQL names it in a stage (`"default"` quoted: it is a keyword in Trino). */
function qualified(names: { database: string; name: string }): string {
  return `${names.database === 'default' ? '"default"' : names.database}.${names.name}`;
}

/**
 * `CREATE OR REPLACE VIEW` of a registry view in a stage: the view's own SQL (the SQL DuckDB runs
 * locally) over the stage's table names.
 */
export function createViewSql(view: ViewDef, stage: string): string {
  const nameOf = (key: TableKey) => qualified(stagedNames(table(key), stage));
  return `CREATE OR REPLACE VIEW ${qualified(stagedView(view, stage))} AS\n${view.sql(nameOf)}`;
}

/**
 * FIIs — BDI code 12 in the spot price table, ticker ending in 11 — by their trailing 12-month
 * yield (vwspec_proventos_yield_12m) on the latest trading day loaded; only the latest year's
 * partition of the price table is read for that day.
 */
export function fiisByYieldSql(stage: string): string {
  const C = COTAHIST_COLUMNS;
  const spot = qualified(stagedNames(table('cotahist_spot'), stage));
  const view = VIEWS.find((v) => v.name === 'vwspec_proventos_yield_12m');
  if (!view) throw new Error('the lake registry has no view vwspec_proventos_yield_12m');
  return [
    'WITH latest AS (',
    `  SELECT max(${C.DATPRE}) AS ${C.DATPRE}`,
    `  FROM ${spot}`,
    `  WHERE ${COTAHIST_YEAR_KEY} = (SELECT max(${COTAHIST_YEAR_KEY}) FROM ${spot}) AND ${C.CODBDI} = '12'`,
    ')',
    `SELECT v.${C.CODNEG}, v.${C.DATPRE}, v.${C.PREULT}, v.vlr_proventos_12m, v.qtd_proventos_12m, v.pct_yield_12m`,
    `FROM ${qualified(stagedView(view, stage))} v`,
    `JOIN latest l ON v.${C.DATPRE} = l.${C.DATPRE}`,
    `JOIN ${spot} s ON s.${C.CODNEG} = v.${C.CODNEG} AND s.${C.DATPRE} = v.${C.DATPRE}`,
    `WHERE s.${COTAHIST_YEAR_KEY} = year(l.${C.DATPRE}) AND s.${C.CODBDI} = '12' AND v.${C.CODNEG} LIKE '%11'`,
    'ORDER BY v.pct_yield_12m DESC NULLS LAST, v.' + C.CODNEG,
  ].join('\n');
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
      // Views are not Glue tables CloudFormation can create from the registry (Athena stores a view
      // as its own encoded SQL): run these once after a deploy that adds or changes one.
      ...Object.fromEntries(VIEWS.map((view) => [`create-${view.name}`, createViewSql(view, props.stage)])),
      'fiis-by-yield-12m': fiisByYieldSql(props.stage),
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
