import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startS3rver } from '@b3lake/lake/testing';
import { ApiError, startEndpoint, type BoxEndpoint } from './aws-endpoint';
import { BoxAlarms, executionMetric } from './alarms';
import { AsyncInvoker, SqsPoller, prompt, s3Record, type DeliveryPolicy } from './events';
import { GlueEmulator } from './glue';
import { glueJobRequests } from './glue-job';
import { IamModel, type AwsRequest } from './iam';
import { BoxFunction, type InvokeResult } from './lambdas';
import { BoxQueue } from './sqs';
import { BoxStateMachine, type ExecutionResult } from './state-machine';
import { runTask } from './tasks';
import { ACCOUNT, REGION, loadAssembly, physicalIds, resolveValue, type CfnResource, type Physical } from './template';

export const WORKSPACE = join(__dirname, '..', '..', '..');
export const BOX_CDK_OUT = join(WORKSPACE, 'dist', 'cloud-box', 'cdk.out');

export interface CloudOptions {
  cdkOut?: string;
  /** Stands in for the internet: fundamentus.com.br and B3 as the functions see them. */
  sitesUrl: string;
  /** B3's COTAHIST folder (default: the sites' `/InstDados/SerHist/`, as the replay server serves it). */
  cotahistUrl?: string;
  /** The instant the functions take as now (B3LAKE_NOW), e.g. a schedule's evening; default the real time. */
  now?: string;
  /** Multiplies every service delay (visibility timeouts, Wait states, retry intervals, async retries). */
  timeScale?: number;
  /** Shorter function timeouts for some functions (logical id prefix → ms), e.g. to make a stall fast. */
  timeouts?: Record<string, number>;
  delivery?: DeliveryPolicy;
}

export interface Published {
  topicArn: string;
  subject?: string;
  message: string;
  via: string;
}

/**
 * The synthesized template "deployed" on this machine: the real Lambda bundles in child
 * processes, S3 on s3rver, SQS and Glue emulated on one endpoint, the state machine on
 * aws-local-stepfunctions, S3 notifications, event source mappings, async invocation configs,
 * alarms and schedules wired as the template says. Every AWS call is recorded with its role.
 */
export class Cloud {
  readonly requests: AwsRequest[] = [];
  readonly published: Published[] = [];
  readonly functions = new Map<string, BoxFunction>();
  readonly queues = new Map<string, BoxQueue>();
  readonly glue = new GlueEmulator();
  readonly deliveryErrors: string[] = [];
  readonly iam: IamModel;
  private readonly ids: Map<string, Physical>;
  private readonly pollers: SqsPoller[] = [];
  private readonly asyncInvoker: AsyncInvoker;
  private readonly keys = new Map<string, { roleArn: string; name: string }>();
  private readonly executionFailures = new Map<string, number>();
  private alarmTimer?: NodeJS.Timeout;
  private deliveriesInFlight = 0;
  endpoint!: BoxEndpoint;
  private s3rver!: { endpoint: string; stop: () => Promise<void> };
  private readonly machines = new Map<string, { machine: BoxStateMachine; roleArn: string; arn: string }>();

  private constructor(
    readonly resources: Record<string, CfnResource>,
    private readonly assetPath: (key: string) => string,
    private readonly options: CloudOptions,
  ) {
    this.ids = physicalIds(resources, 'http://placeholder');
    this.iam = new IamModel(resources, this.ids);
    this.asyncInvoker = new AsyncInvoker(options.timeScale ?? 1);
  }

  static async start(options: CloudOptions): Promise<Cloud> {
    const { template, assetPath } = loadAssembly(options.cdkOut ?? BOX_CDK_OUT);
    const cloud = new Cloud(template.Resources, assetPath, options);
    await cloud.boot();
    return cloud;
  }

  private async boot(): Promise<void> {
    const buckets = this.ofType('AWS::S3::Bucket').map(([id]) => this.physical(id).ref);
    this.s3rver = await startS3rver(buckets);
    this.endpoint = await startEndpoint({
      s3Upstream: this.s3rver.endpoint,
      principalOf: (key) => this.keys.get(key),
      authorize: (r) => this.requests.push(r),
      queues: () => [...this.queues.values()],
      glue: this.glue,
      onObjectCreated: (bucket, key, size) => this.notify(bucket, key, size),
    });
    // Queue URLs live on the endpoint, so identities are computed again with its address.
    for (const [id, p] of physicalIds(this.resources, this.endpoint.url)) this.ids.set(id, p);
    this.deployQueues();
    this.deployCatalog();
    this.deployFunctions();
    this.deployEventSources();
    this.deployStateMachines();
    this.glue.onJobRun = (run) => this.requests.push(...glueJobRequests(this.resources, this.ids, run));
    const alarms = new BoxAlarms(this.resources, this.ids);
    this.alarmTimer = setInterval(
      () => alarms.evaluate([...this.queues.values()], this.executionFailures, this.published),
      50,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.alarmTimer);
    for (const p of this.pollers) p.stop();
    for (const fn of this.functions.values()) fn.stop();
    await this.endpoint?.stop();
    await this.s3rver?.stop();
  }

  /** An access key for a role: calls signed with it are authorized as that role. */
  credentialsFor(roleArn: string, name: string): { accessKeyId: string; secretAccessKey: string } {
    const accessKeyId = `BOX${this.keys.size}${name
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 20)
      .toUpperCase()}`;
    this.keys.set(accessKeyId, { roleArn, name });
    return { accessKeyId, secretAccessKey: 'box-secret' };
  }

  physical(logicalId: string): Physical {
    const p = this.ids.get(logicalId);
    if (!p) throw new Error(`no resource ${logicalId}`);
    return p;
  }

  /** The function whose logical id starts with `prefix` (e.g. `FunctionsList`). */
  fn(prefix: string): BoxFunction {
    const found = [...this.functions.values()].filter((f) => f.name.startsWith(prefix));
    if (found.length !== 1) throw new Error(`${found.length} functions match ${prefix}`);
    return found[0];
  }

  queue(prefix: string): BoxQueue {
    const found = [...this.queues.values()].filter((q) => q.name.startsWith(prefix));
    if (found.length !== 1) throw new Error(`${found.length} queues match ${prefix}`);
    return found[0];
  }

  bucket(prefix: string): string {
    const found = this.ofType('AWS::S3::Bucket').filter(([id]) => id.startsWith(prefix));
    if (found.length !== 1) throw new Error(`${found.length} buckets match ${prefix}`);
    return this.physical(found[0][0]).ref;
  }

  /** Fires an EventBridge Scheduler schedule (by logical id prefix) as the scheduler would. */
  async fireSchedule(prefix: string, input: unknown = {}): Promise<InvokeResult | ExecutionResult> {
    const [, schedule] = this.ofType('AWS::Scheduler::Schedule').find(([id]) => id.startsWith(prefix)) ?? [];
    if (!schedule) throw new Error(`no schedule ${prefix}`);
    const target = resolveValue(schedule.Properties['Target'], this.ids) as {
      Arn: string;
      RoleArn: string;
      Input?: string;
    };
    const payload = target.Input ? JSON.parse(target.Input) : input;
    const via = `schedule ${prefix}`;
    if (target.Arn.includes(':states:')) {
      this.requests.push({ principal: target.RoleArn, action: 'states:StartExecution', resource: target.Arn, via });
      const [id] = [...this.machines].find(([, m]) => m.arn === target.Arn) ?? [];
      return this.startExecution(payload, id);
    }
    this.requests.push({ principal: target.RoleArn, action: 'lambda:InvokeFunction', resource: target.Arn, via });
    return this.functionByArn(target.Arn).invoke(payload);
  }

  /**
   * Starts a state machine (by logical id prefix; default the finalize workflow) and waits for its
   * end, as `aws stepfunctions start-execution` would.
   */
  async startExecution(input: unknown, prefix = 'WorkflowFinalize'): Promise<ExecutionResult> {
    const found = [...this.machines].filter(([id]) => id.startsWith(prefix)).map(([, m]) => m);
    if (found.length !== 1) throw new Error(`${found.length} state machines match ${prefix}`);
    const [{ machine, arn, roleArn }] = found;
    const result = await machine.execute(input, arn, roleArn);
    const failed = executionMetric(arn, 'ExecutionsFailed');
    if (result.status === 'FAILED') this.executionFailures.set(failed, (this.executionFailures.get(failed) ?? 0) + 1);
    return result;
  }

  /** Resolves once queues are empty, no batch or async event is running and no S3 event is pending. */
  async idle(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let quietSince = 0;
    while (Date.now() < until) {
      const busy =
        this.pollers.some((p) => p.busy()) ||
        this.asyncInvoker.pending > 0 ||
        this.deliveriesInFlight > 0 ||
        [...this.queues.values()].some((q) => !q.name.includes('Dlq') && q.messages.length > 0);
      if (!busy) {
        quietSince ||= Date.now();
        if (Date.now() - quietSince > 150) return;
      } else quietSince = 0;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the box did not become idle');
  }

  private ofType(type: string): [string, CfnResource][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  private functionByArn(arn: string): BoxFunction {
    const id = [...this.ids].find(([, p]) => p.attrs['Arn'] === arn || p.ref === arn)?.[0];
    const fn = id ? this.functions.get(id) : undefined;
    if (!fn) throw new Error(`no deployed function ${arn}`);
    return fn;
  }

  private deployQueues(): void {
    const scale = this.options.timeScale ?? 1;
    const made = new Map<string, BoxQueue>();
    const consumerTimeout = new Map<string, number>();
    for (const [, esm] of this.ofType('AWS::Lambda::EventSourceMapping')) {
      const fnId = esm.Properties['FunctionName'].Ref as string;
      consumerTimeout.set(
        resolveValue(esm.Properties['EventSourceArn'], this.ids),
        Number(this.resources[fnId].Properties['Timeout'] ?? 3),
      );
    }
    const ordered = this.ofType('AWS::SQS::Queue').sort(([, a]) => (a.Properties['RedrivePolicy'] ? 1 : -1));
    for (const [id, q] of ordered) {
      const p = this.physical(id);
      const visibility = Number(q.Properties['VisibilityTimeout'] ?? 30);
      const timeout = consumerTimeout.get(p.attrs['Arn']);
      if (timeout && visibility < 6 * timeout)
        throw new Error(`${id}: visibility ${visibility}s < 6 × consumer timeout ${timeout}s`);
      const redrive = q.Properties['RedrivePolicy'];
      const dlq = redrive
        ? [...made.values()].find((d) => d.arn === resolveValue(redrive.deadLetterTargetArn, this.ids))
        : undefined;
      const queue = new BoxQueue(
        id,
        p.attrs['Arn'],
        p.ref,
        visibility * 1000 * scale,
        dlq ? { dlq, maxReceiveCount: redrive.maxReceiveCount } : undefined,
      );
      made.set(id, queue);
      this.queues.set(id, queue);
    }
  }

  /**
   * What CloudFormation creates in the Glue catalog, in dependency order: custom resources
   * (e.g. the `default` database, created with their own role) before the tables. A table whose
   * database does not exist fails here as the stack would roll back.
   */
  private deployCatalog(): void {
    for (const [, db] of this.ofType('AWS::Glue::Database'))
      this.glue.databases.add(resolveValue(db.Properties['DatabaseInput'], this.ids).Name);
    for (const [id, cr] of this.ofType('Custom::AWS')) {
      const call = JSON.parse(resolveValue(cr.Properties['Create'], this.ids)) as {
        service: string;
        action: string;
        parameters: Record<string, unknown>;
        ignoreErrorCodesMatching?: string;
      };
      const providerId = cr.Properties['ServiceToken']['Fn::GetAtt'][0] as string;
      const roleArn = resolveValue(this.resources[providerId].Properties['Role'], this.ids);
      if (call.service !== 'Glue') throw new Error(`${id}: custom resource for ${call.service} is not emulated`);
      try {
        this.glue.call(call.action, call.parameters, (action, resource) =>
          this.requests.push({ principal: roleArn, action, resource, via: `custom resource ${id}` }),
        );
      } catch (error) {
        if (!(
          error instanceof ApiError &&
          call.ignoreErrorCodesMatching &&
          new RegExp(call.ignoreErrorCodesMatching).test(error.code)
        ))
          throw error;
      }
    }
    for (const [id, t] of this.ofType('AWS::Glue::Table')) {
      const props = resolveValue(t.Properties, this.ids);
      try {
        this.glue.call(
          'CreateTable',
          { DatabaseName: props.DatabaseName, TableInput: props.TableInput },
          () => undefined,
        );
      } catch (error) {
        throw new Error(`stack would roll back: ${id}: ${(error as Error).message}`);
      }
    }
  }

  private deployFunctions(): void {
    for (const [id, f] of this.ofType('AWS::Lambda::Function')) {
      const key = f.Properties['Code']?.S3Key as string | undefined;
      if (!key) continue; // inline CDK helpers (bucket notifications) stand for CloudFormation itself
      const bundleDir = this.assetPath(key);
      if (!existsSync(join(bundleDir, 'index.js'))) continue;
      const roleArn = resolveValue(f.Properties['Role'], this.ids) as string;
      const credentials = this.credentialsFor(roleArn, id);
      const timeoutOverride = Object.entries(this.options.timeouts ?? {}).find(([prefix]) =>
        id.startsWith(prefix),
      )?.[1];
      const env: Record<string, string> = {
        PATH: process.env['PATH'] ?? '',
        NODE_PATH: join(WORKSPACE, 'node_modules'),
        ...resolveValue(f.Properties['Environment']?.Variables ?? {}, this.ids),
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_ENDPOINT_URL: this.endpoint.url,
        AWS_LAMBDA_FUNCTION_NAME: id,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(f.Properties['MemorySize'] ?? 128),
        // What the box adds to the template: S3-compatible endpoint settings and the sites' address.
        B3LAKE_S3_FORCE_PATH_STYLE: 'true',
        AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
        AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
        FUNDAMENTUS_URL: this.options.sitesUrl,
        B3_URL: this.options.sitesUrl,
        COTAHIST_URL: this.options.cotahistUrl ?? `${this.options.sitesUrl}/InstDados/SerHist/`,
        ...(this.options.now ? { B3LAKE_NOW: this.options.now } : {}),
        POWERTOOLS_LOG_LEVEL: 'WARN',
      };
      const fn = new BoxFunction({
        logicalId: id,
        arn: this.physical(id).attrs['Arn'],
        roleArn,
        bundleDir,
        handler: f.Properties['Handler'],
        timeoutMs: timeoutOverride ?? Number(f.Properties['Timeout'] ?? 3) * 1000,
        memoryMb: Number(f.Properties['MemorySize'] ?? 128),
        env,
      });
      this.functions.set(id, fn);
    }
  }

  private deployEventSources(): void {
    for (const [, esm] of this.ofType('AWS::Lambda::EventSourceMapping')) {
      const p = esm.Properties;
      const arn = resolveValue(p['EventSourceArn'], this.ids);
      const queue = [...this.queues.values()].find((q) => q.arn === arn);
      const fn = this.functions.get(p['FunctionName'].Ref);
      if (!queue || !fn)
        throw new Error(`event source mapping ${arn} → ${JSON.stringify(p['FunctionName'])} not deployable`);
      // Lambda's poller reads the queue with the function's role.
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
        this.requests.push({ principal: fn.spec.roleArn, action, resource: queue.arn, via: `${fn.name} event source` });
      const poller = new SqsPoller(queue, fn, {
        batchSize: p['BatchSize'] ?? 10,
        windowMs: (p['MaximumBatchingWindowInSeconds'] ?? 0) * 1000 * (this.options.timeScale ?? 1),
        maxConcurrency: p['ScalingConfig']?.MaximumConcurrency ?? 1000,
        reportBatchItemFailures: (p['FunctionResponseTypes'] ?? []).includes('ReportBatchItemFailures'),
      });
      poller.start();
      this.pollers.push(poller);
    }
  }

  /** S3 ObjectCreated → the notification configuration's functions (prefix and suffix filters), asynchronously. */
  private notify(bucket: string, key: string, size: number): void {
    for (const [, n] of this.ofType('Custom::S3BucketNotifications')) {
      if (resolveValue(n.Properties['BucketName'], this.ids) !== bucket) continue;
      for (const config of resolveValue(n.Properties['NotificationConfiguration'], this.ids)
        .LambdaFunctionConfigurations ?? []) {
        const rules = (config.Filter?.Key?.FilterRules ?? []) as { Name: string; Value: string }[];
        const matches = rules.every((r) =>
          r.Name.toLowerCase() === 'prefix' ? key.startsWith(r.Value) : key.endsWith(r.Value),
        );
        if (!matches || !config.Events.some((e: string) => e.startsWith('s3:ObjectCreated'))) continue;
        const fn = this.functionByArn(config.LambdaFunctionArn);
        const allowed = this.ofType('AWS::Lambda::Permission').some(([, perm]) => {
          const pp = resolveValue(perm.Properties, this.ids);
          return (
            pp.Principal === 's3.amazonaws.com' &&
            pp.Action === 'lambda:InvokeFunction' &&
            [fn.spec.arn, fn.name].includes(pp.FunctionName) &&
            pp.SourceArn === `arn:aws:s3:::${bucket}`
          );
        });
        if (!allowed) {
          this.deliveryErrors.push(`S3 may not invoke ${fn.name} for ${bucket} (no AWS::Lambda::Permission)`);
          continue;
        }
        const policy = this.options.delivery ?? prompt;
        const copies = policy.duplicate(fn.name, key) ? 2 : 1;
        for (let i = 0; i < copies; i++) {
          this.deliveriesInFlight++;
          void policy
            .delay(fn.name, key)
            .then(() => this.invokeAsync(fn, { Records: [s3Record(bucket, key, size)] }))
            .finally(() => this.deliveriesInFlight--);
        }
      }
    }
  }

  /** Asynchronous invocation with the function's EventInvokeConfig (retries, on-failure destination). */
  invokeAsync(fn: BoxFunction, event: unknown): void {
    const config = this.ofType('AWS::Lambda::EventInvokeConfig').find(
      ([, c]) => c.Properties['FunctionName'].Ref === fn.name,
    )?.[1].Properties;
    const destination = config
      ? resolveValue(config['DestinationConfig']?.OnFailure?.Destination, this.ids)
      : undefined;
    this.asyncInvoker.invoke(fn, event, {
      maxRetries: config?.['MaximumRetryAttempts'] ?? 2,
      onFailure: (result, attempts) => {
        if (!destination || result.ok) return;
        // Lambda sends the failure record to the destination with the function's own role.
        this.requests.push({
          principal: fn.spec.roleArn,
          action: 'sns:Publish',
          resource: destination,
          via: `${fn.name} on-failure destination`,
        });
        this.published.push({
          topicArn: destination,
          message: JSON.stringify({
            requestContext: {
              functionArn: fn.spec.arn,
              condition: 'RetriesExhausted',
              approximateInvokeCount: attempts,
            },
            responsePayload: { errorType: result.errorType, errorMessage: result.errorMessage },
            requestPayload: event,
          }),
          via: `${fn.name} on-failure destination`,
        });
      },
    });
  }

  private deployStateMachines(): void {
    for (const [id, sm] of this.ofType('AWS::StepFunctions::StateMachine')) this.deployStateMachine(id, sm);
  }

  private deployStateMachine(id: string, sm: CfnResource): void {
    const roleArn = resolveValue(sm.Properties['RoleArn'], this.ids) as string;
    const definition = JSON.parse(resolveValue(sm.Properties['DefinitionString'], this.ids));
    const world = {
      functionByArn: (arn: string) => this.functionByArn(arn),
      queues: [...this.queues.values()],
      requests: this.requests,
      published: this.published,
    };
    const machine = new BoxStateMachine(definition, this.options.timeScale ?? 1, (state, input) =>
      runTask(world, roleArn, state, input),
    );
    this.machines.set(id, { machine, roleArn, arn: this.physical(id).ref });
  }
}

export { ACCOUNT };
