import type { JobRun } from './glue';
import type { AwsRequest } from './iam';
import { ACCOUNT, REGION, resolveValue, type CfnResource, type Physical } from './template';

const s3 = (url: string) => {
  const { host, pathname } = new URL(url);
  return { bucket: host, key: pathname.replace(/^\/+/, '').replace(/\/+$/, '') };
};

/**
 * What the refine job does on AWS, as authorization requests of its role (Spark cannot run
 * here): read its script and SQL, list and read the raw date (EMRFS also reads the table's own
 * key), replace the refined date folder (EMRFS writes `<table>_$folder$` markers, `_temporary/`
 * files and `_SUCCESS`), then read the table and replace the date's partitions in Glue.
 */
export function glueJobRequests(
  resources: Record<string, CfnResource>,
  ids: Map<string, Physical>,
  run: JobRun,
): AwsRequest[] {
  const job = Object.values(resources).find((r) => r.Type === 'AWS::Glue::Job' && r.Properties['Name'] === run.jobName);
  if (!job) return [];
  const props = resolveValue(job.Properties, ids) as {
    Role: string;
    Command: { ScriptLocation: string };
    DefaultArguments: Record<string, string>;
  };
  const args = { ...props.DefaultArguments, ...run.arguments };
  const roleArn = props.Role.startsWith('arn:') ? props.Role : `arn:aws:iam::${ACCOUNT}:role/${props.Role}`;
  const day = args['--date'];
  const out: AwsRequest[] = [];
  const add = (action: string, resource: string, context?: Record<string, string>) =>
    out.push({ principal: roleArn, action, resource, context, via: `Glue job ${run.jobName}: ${action}` });
  const object = (action: string, bucket: string, key: string) => add(action, `arn:aws:s3:::${bucket}/${key}`);

  for (const uri of [props.Command.ScriptLocation, args['--sql_s3_uri']]) {
    const { bucket, key } = s3(uri);
    object('s3:GetObject', bucket, key);
  }
  const raw = s3(args['--raw_path']);
  add('s3:ListBucket', `arn:aws:s3:::${raw.bucket}`, { 's3:prefix': `${raw.key}/date=${day}/` });
  object('s3:GetObject', raw.bucket, raw.key);
  object('s3:GetObject', raw.bucket, `${raw.key}/date=${day}`);
  object('s3:GetObject', raw.bucket, `${raw.key}/date=${day}/part-0000000000000000.parquet`);

  const refined = s3(args['--refined_path']);
  const folder = `${refined.key}/date=${day}`;
  add('s3:ListBucket', `arn:aws:s3:::${refined.bucket}`, { 's3:prefix': `${folder}/` });
  object('s3:GetObject', refined.bucket, refined.key);
  object('s3:GetObject', refined.bucket, folder);
  object('s3:PutObject', refined.bucket, `${refined.key}_$folder$`);
  object('s3:DeleteObject', refined.bucket, `${folder}/ticker=OLD3/part-00000.snappy.parquet`);
  object(
    's3:PutObject',
    refined.bucket,
    `${folder}/_temporary/0/_temporary/attempt_0/ticker=PETR4/part-00000.snappy.parquet`,
  );
  object('s3:PutObject', refined.bucket, `${folder}/ticker=PETR4/part-00000.snappy.parquet`);
  object('s3:PutObject', refined.bucket, `${folder}_$folder$`);
  object(
    's3:DeleteObject',
    refined.bucket,
    `${folder}/_temporary/0/_temporary/attempt_0/ticker=PETR4/part-00000.snappy.parquet`,
  );
  object('s3:PutObject', refined.bucket, `${folder}/_SUCCESS`);

  const [database, table] = [args['--database'], args['--table']];
  for (const action of [
    'glue:GetTable',
    'glue:GetPartitions',
    'glue:BatchDeletePartition',
    'glue:BatchCreatePartition',
  ]) {
    for (const resource of [`catalog`, `database/${database}`, `table/${database}/${table}`])
      add(action, `arn:aws:glue:${REGION}:${ACCOUNT}:${resource}`);
  }
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents'])
    add(action, `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/jobs/output:log-stream:${run.id}`);
  return out;
}
