import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { HeadObjectCommand, ListObjectsV2Command, NotFound, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { TABLES } from '@b3lake/lake';
import { mockClient } from 'aws-sdk-client-mock';
import { OUTPUT_NAMES, createClients } from './context';
import { cli } from './run';

const cfn = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);
const athena = mockClient(AthenaClient);
const glue = mockClient(GlueClient);

const NOW = new Date('2026-11-27T21:00:00Z');
const outputs = Object.fromEntries(
  OUTPUT_NAMES.map((n) => [n, n.startsWith('Bucket') ? `b3lake-dev-${n.slice(6).toLowerCase()}-x1` : `out-${n}`]),
);
outputs['AthenaWorkGroup'] = 'b3lake-dev';
outputs['RefineJobName'] = 'b3lake-dev-ibov-refine';
const notFound = () => new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
const PETR4_SPEC = 'tbspec_fundamentus_cotacao_ativos/anomesdia_exec=20261127/PETR4.parquet';

beforeEach(() => {
  for (const mock of [cfn, sqs, s3, athena, glue]) mock.reset();
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'b3lake-dev',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: NOW,
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
  s3.on(HeadObjectCommand).resolves({});
  s3.on(HeadObjectCommand, { Key: PETR4_SPEC }).rejectsOnce(notFound()).resolves({}); // appears on the 2nd poll
  s3.on(ListObjectsV2Command)
    .resolvesOnce({
      CommonPrefixes: [{ Prefix: 'tbsor_b3_carteira_ibov_raw/date=2026-11-26/' }],
      IsTruncated: true,
      NextContinuationToken: 't2',
    })
    .resolves({
      CommonPrefixes: [
        { Prefix: 'tbsor_b3_carteira_ibov_raw/date=2026-11-27/' },
        { Prefix: 'tbsor_b3_carteira_ibov_raw/date=2026-11-25/' },
      ],
    });
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
  athena
    .on(GetQueryExecutionCommand)
    .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
    .resolves({
      QueryExecution: {
        Status: { State: 'SUCCEEDED' },
        Statistics: { TotalExecutionTimeInMillis: 1200, DataScannedInBytes: 2_500_000 },
      },
    });
  athena
    .on(GetQueryResultsCommand)
    .resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: '_col0' }] }, { Data: [{ VarCharValue: '1234' }] }] } });
  glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
  glue
    .on(GetJobRunCommand)
    .resolvesOnce({ JobRun: { JobRunState: 'RUNNING' } })
    .resolves({ JobRun: { JobRunState: 'SUCCEEDED', ExecutionTime: 95 } });
});

async function smoke(...argv: string[]) {
  const lines: string[] = [];
  const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  const code = await cli(['--region', 'sa-east-1', ...argv], {
    write: (l) => lines.push(l),
    writeError: (l) => lines.push(l),
    now: NOW,
    clock,
    clients: createClients,
  });
  return { code, lines, text: lines.join('\n'), clock };
}

describe('smoke check', () => {
  it('passes every check and prints one line each', async () => {
    const { code, lines } = await smoke('--stage', 'dev');
    expect(code).toBe(0);
    expect(lines[0]).toBe(
      'b3lake smoke check: stack b3lake-dev in sa-east-1, date 2026-11-27, timeout 15 min per wait',
    );
    expect(lines.slice(1, 4)).toEqual([
      '✔ stack found — b3lake-dev UPDATE_COMPLETE, 12 outputs (workgroup b3lake-dev, job b3lake-dev-ibov-refine)',
      '✔ extract 3 tickers — PETR4 → acoes, VALE3 → acoes, HGLG11 → fiis (anomesdia 20261127)',
      '✔ objects written — 9 objects (3 tickers × SoR/SoT/Spec) in 10 s',
    ]);
    expect(lines).toContain(
      '✔ athena db_b3lake_sot_dev.tbsot_fundamentus_indicadores_acoes_prep — 1,234 rows (1 s, 2.5 MB scanned)',
    );
    expect(lines).toContain('✔ athena default.tbrefined_b3_carteira_ibov_dev — 1,234 rows (1 s, 2.5 MB scanned)');
    expect(lines.filter((l) => l.startsWith('✔ athena'))).toHaveLength(TABLES.length);
    expect(lines.at(-2)).toBe('✔ glue refine — run jr_1 for date=2026-11-27 SUCCEEDED (1 min 35 s of execution)');
    expect(lines.at(-1)).toMatch(new RegExp(`^all ${TABLES.length + 4} checks passed in `));

    expect(cfn.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: 'b3lake-dev' });
    expect(
      sqs
        .commandCalls(SendMessageCommand)
        .map((c) => [c.args[0].input.QueueUrl, JSON.parse(c.args[0].input.MessageBody ?? '')]),
    ).toEqual([
      ['out-QueueAcoesUrl', { ticker: 'PETR4', kind: 'acoes', anomesdia: 20261127 }],
      ['out-QueueAcoesUrl', { ticker: 'VALE3', kind: 'acoes', anomesdia: 20261127 }],
      ['out-QueueFiisUrl', { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20261127 }],
    ]);
    const heads = s3.commandCalls(HeadObjectCommand).map((c) => `${c.args[0].input.Bucket}/${c.args[0].input.Key}`);
    expect(heads).toHaveLength(10); // 9, then the one that was missing
    expect(heads).toContain(
      'b3lake-dev-sor-x1/tbsor_fundamentus_indicadores_fiis_raw/anomesdia_exec=20261127/HGLG11.parquet',
    );
    expect(heads).toContain(
      'b3lake-dev-sot-x1/tbsot_fundamentus_indicadores_acoes_prep/anomesdia_exec=20261127/VALE3.parquet',
    );
    expect(heads.at(-1)).toBe(`b3lake-dev-spec-x1/${PETR4_SPEC}`);
    const queries = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(queries).toContainEqual({
      QueryString: 'SELECT count(*) FROM "default"."tbrefined_b3_carteira_ibov_dev"',
      WorkGroup: 'b3lake-dev',
    });
    expect(queries).toContainEqual({
      QueryString: 'SELECT count(*) FROM "db_b3lake_sor_dev"."tbsor_b3_carteira_ibov_raw"',
      WorkGroup: 'b3lake-dev',
    });
    expect(s3.commandCalls(ListObjectsV2Command)[1].args[0].input).toEqual({
      Bucket: 'b3lake-dev-sor-x1',
      Prefix: 'tbsor_b3_carteira_ibov_raw/date=',
      Delimiter: '/',
      ContinuationToken: 't2',
    });
    expect(glue.commandCalls(StartJobRunCommand)[0].args[0].input).toEqual({
      JobName: 'b3lake-dev-ibov-refine',
      Arguments: { '--date': '2026-11-27' },
    });
  });

  it('fails at once when the stack does not exist, with a deploy hint', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        message: 'Stack with id b3lake-qa does not exist',
        $metadata: {},
      }),
    );
    const { code, lines } = await smoke('--stage', 'qa');
    expect(code).toBe(1);
    expect(lines.slice(1)).toEqual([
      '✖ stack found — stack b3lake-qa not found in sa-east-1',
      '  hint: deploy first (`nx run infra:deploy -- --context stage=qa`), or check --stage, --region ' +
        'and that your credentials are for the account you deployed to',
    ]);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('fails when the stack is still deploying', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'b3lake-dev', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: NOW }] });
    const { code, text } = await smoke();
    expect(code).toBe(1);
    expect(text).toContain(
      ['✖ stack found — stack b3lake-dev is UPDATE_IN_PROGRESS', '  hint: a deployment is under way'].join('\n'),
    );
  });

  it('times out when an object never appears, saying where the ticker stopped and what the DLQ holds', async () => {
    s3.on(HeadObjectCommand, { Key: PETR4_SPEC }).rejects(notFound());
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: 'out-DlqAcoesUrl' })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    const { code, lines, clock } = await smoke('--tickers', 'PETR4,HGLG11', '--timeout-minutes', '2');
    expect(code).toBe(1);
    expect(clock.t).toBe(120_000);
    expect(lines.slice(-2)).toEqual([
      '✖ objects written — after 2 min, 1 of 6 objects missing: ' +
        `PETR4 has no Spec object (specialize did not finish; s3://b3lake-dev-spec-x1/${PETR4_SPEC})`,
      '  hint: the acoes DLQ holds 2 message(s): extract-acoes failed 3 times on a ticker — ' +
        'read the CloudWatch logs of the extract-acoes, specialize function(s), ' +
        'fix the cause, then redrive (README "Redrive the DLQ")',
    ]);
    expect(athena.calls()).toHaveLength(0);
  });

  it('says the DLQs are empty when nothing failed for good', async () => {
    s3.on(HeadObjectCommand).rejects(notFound());
    const { code, lines } = await smoke('--tickers', 'HGLG11', '--timeout-minutes', '1');
    expect(code).toBe(1);
    expect(lines.at(-2)).toMatch(
      new RegExp(
        /^✖ objects written — after 1 min, 3 of 3 objects missing: /.source +
          /HGLG11 has no SoR object \(extract did not finish;/.source,
      ),
    );
    expect(lines.at(-1)).toMatch(
      new RegExp(
        /^ {2}hint: the DLQs are empty: the jobs may still be retrying \(raise --timeout-minutes\) — /.source +
          /read the CloudWatch logs of the extract-fiis function/.source,
      ),
    );
  });

  it("fails on the first Athena query that fails, with Athena's reason", async () => {
    const table = 'db_b3lake_sor_dev.tbsor_fundamentus_indicadores_acoes_raw';
    const reason = `TABLE_NOT_FOUND: line 1:22: Table 'awsdatacatalog.${table}' does not exist`;
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason: reason,
        },
      },
    });
    const { code, lines } = await smoke();
    expect(code).toBe(1);
    expect(lines.at(-2)).toBe(`✖ athena ${table} — FAILED: ${reason}`);
    expect(lines.at(-1)).toMatch(/^ {2}hint: query q1 in workgroup b3lake-dev/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    expect(glue.calls()).toHaveLength(0);
  });

  it('fails when the Glue job run ends FAILED, with its error message', async () => {
    glue
      .on(GetJobRunCommand)
      .resolves({ JobRun: { JobRunState: 'FAILED', ErrorMessage: 'AnalysisException: Path does not exist' } });
    const { code, lines } = await smoke();
    expect(code).toBe(1);
    expect(lines.slice(-2)).toEqual([
      '✖ glue refine — FAILED for date 2026-11-27: AnalysisException: Path does not exist',
      "  hint: run jr_1 of b3lake-dev-ibov-refine: see the job's runs in the Glue console (logs in /aws-glue/jobs)",
    ]);
  });

  it('fails the refine check when no raw IBOV date exists yet', async () => {
    s3.on(ListObjectsV2Command).resolves({});
    const { code, lines } = await smoke();
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe('  hint: the IBOV schedule runs weekdays 18:45 BRT; invoke the IbovIngest function once');
    expect(glue.calls()).toHaveLength(0);
  });
});
