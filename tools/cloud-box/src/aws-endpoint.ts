import { createHash } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GlueEmulator } from './glue';
import type { AwsRequest } from './iam';
import type { BoxQueue } from './sqs';
import { ACCOUNT, REGION } from './template';

/** One call as it reached the endpoint (every service), kept for assertions and the IAM check. */
export interface RecordedCall {
  service: string;
  operation: string;
  caller: string;
  input: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const CALLER_IDENTITY = [
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>',
  `<Arn>arn:aws:iam::${ACCOUNT}:user/box</Arn><UserId>AIDABOX</UserId><Account>${ACCOUNT}</Account>`,
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>box</RequestId></ResponseMetadata>',
  '</GetCallerIdentityResponse>',
].join('');

export interface EndpointOptions {
  /**
   * s3rver's URL: S3 requests are forwarded there (with s3rver's own credentials); without one, every bucket
   * is missing.
   */
  s3Upstream?: string;
  /** The role behind an access key id (each function, the state machine… gets its own key). */
  principalOf(accessKeyId: string): { roleArn: string; name: string } | undefined;
  authorize(request: AwsRequest): void;
  queues(): BoxQueue[];
  glue: GlueEmulator;
  onObjectCreated(bucket: string, key: string, size: number): void;
}

export interface BoxEndpoint {
  url: string;
  calls: RecordedCall[];
  stop(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * The box's AWS endpoint on 127.0.0.1 (every SDK client gets it as AWS_ENDPOINT_URL): S3 is
 * forwarded to s3rver, SQS (JSON 1.0) and Glue (JSON 1.1) are emulated, STS answers
 * GetCallerIdentity, and anything else (CloudFormation…) is recorded and refused. The caller
 * is known from the access key id of the signature, so every call is authorized as its role.
 */
export async function startEndpoint(options: EndpointOptions): Promise<BoxEndpoint> {
  const calls: RecordedCall[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        const e =
          error instanceof ApiError
            ? error
            : new ApiError('InternalFailure', String((error as Error)?.stack ?? error), 500);
        if (!res.headersSent)
          res.writeHead(e.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': e.code });
        res.end(JSON.stringify({ __type: e.code, message: e.message, Message: e.message }));
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const auth = String(req.headers['authorization'] ?? '');
    const scope = /Credential=([^/]+)\/\d+\/[^/]+\/([^/]+)\//.exec(auth);
    const accessKeyId = scope?.[1] ?? 'anonymous';
    const service = scope?.[2] ?? 'unknown';
    const principal = options.principalOf(accessKeyId);
    const caller = principal?.name ?? accessKeyId;
    const authorize = (action: string, resource: string, context?: Record<string, string | string[]>) => {
      if (principal)
        options.authorize({ principal: principal.roleArn, action, resource, context, via: `${caller}: ${action}` });
    };
    if (service === 's3') return proxyS3(req, res, body, caller, authorize);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target) {
      const [prefix, operation] = target.split('.');
      const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ service, operation, caller, input });
      const out =
        prefix === 'AmazonSQS'
          ? sqs(operation, input, authorize)
          : prefix === 'AWSGlue'
            ? options.glue.call(operation, input, authorize)
            : unsupported(service, operation);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out));
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const operation = form.get('Action') ?? req.method ?? '';
    calls.push({ service, operation, caller, input: Object.fromEntries(form) });
    if (service === 'sts' && operation === 'GetCallerIdentity') {
      res.writeHead(200, { 'content-type': 'text/xml' }).end(CALLER_IDENTITY);
      return;
    }
    // CloudFormation and the rest: the box deploys nothing; callers see a clear refusal.
    const refusal =
      `${service}:${operation} is not emulated by the cloud-in-a-box ` +
      `(Stack with id ${form.get('StackName') ?? '?'} does not exist)`;
    res
      .writeHead(400, { 'content-type': 'text/xml' })
      .end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>' +
          `<Message>${refusal}</Message></Error><RequestId>box</RequestId></ErrorResponse>`,
      );
  }

  function unsupported(service: string, operation: string): never {
    throw new ApiError('UnsupportedOperation', `${service}:${operation} is not emulated by the cloud-in-a-box`);
  }

  function queueByUrl(queueUrl: unknown): BoxQueue {
    const name = String(queueUrl).split('/').pop();
    const queue = options.queues().find((q) => q.name === name);
    if (!queue) throw new ApiError('AWS.SimpleQueueService.NonExistentQueue', `no queue ${String(queueUrl)}`);
    return queue;
  }

  function sqs(
    operation: string,
    input: Record<string, unknown>,
    authorize: (action: string, resource: string) => void,
  ): unknown {
    const queue = queueByUrl(input['QueueUrl']);
    switch (operation) {
      case 'SendMessage': {
        authorize('sqs:SendMessage', queue.arn);
        const body = String(input['MessageBody']);
        return { MessageId: queue.send(body), MD5OfMessageBody: md5(body) };
      }
      case 'SendMessageBatch': {
        authorize('sqs:SendMessage', queue.arn);
        const entries = input['Entries'] as { Id: string; MessageBody: string }[];
        return {
          Successful: entries.map((e) => ({
            Id: e.Id,
            MessageId: queue.send(e.MessageBody),
            MD5OfMessageBody: md5(e.MessageBody),
          })),
          Failed: [],
        };
      }
      case 'GetQueueAttributes':
        authorize('sqs:GetQueueAttributes', queue.arn);
        return { Attributes: queueAttributes(queue) };
      default:
        return unsupported('sqs', operation);
    }
  }

  function proxyS3(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    caller: string,
    authorize: (action: string, resource: string, context?: Record<string, string>) => void,
  ): void {
    const target = new URL(req.url ?? '/', 'http://box');
    const [, bucket = '', ...rest] = target.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const method = req.method ?? 'GET';
    let operation: string;
    if (!key) {
      if (method === 'POST' && target.searchParams.has('delete')) {
        operation = 'DeleteObjects';
        for (const match of body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g))
          authorize('s3:DeleteObject', `arn:aws:s3:::${bucket}/${unescapeXml(match[1])}`);
      } else {
        operation = method === 'GET' ? 'ListObjects' : `${method} bucket`;
        authorize('s3:ListBucket', `arn:aws:s3:::${bucket}`, { 's3:prefix': target.searchParams.get('prefix') ?? '' });
      }
    } else {
      operation = method === 'PUT' ? 'PutObject' : method === 'DELETE' ? 'DeleteObject' : 'GetObject';
      authorize(`s3:${operation}`, `arn:aws:s3:::${bucket}/${key}`);
    }
    calls.push({ service: 's3', operation, caller, input: { Bucket: bucket, Key: key } });
    if (!options.s3Upstream) {
      res
        .writeHead(404, { 'content-type': 'application/xml' })
        .end(
          '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>' +
            `<BucketName>${bucket}</BucketName></Error>`,
        );
      return;
    }
    const upstream = new URL(options.s3Upstream);
    const headers = {
      ...req.headers,
      authorization: String(req.headers['authorization'] ?? '').replace(/Credential=[^/]+\//, 'Credential=S3RVER/'),
    };
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method, path: req.url, headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        upstreamRes.on('end', () => {
          if (operation === 'PutObject' && (upstreamRes.statusCode ?? 500) < 300)
            options.onObjectCreated(bucket, key, body.byteLength);
        });
      },
    );
    forward.on('error', (error) => res.writeHead(502).end(String(error)));
    forward.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function queueAttributes(queue: BoxQueue): Record<string, string> {
  return {
    ApproximateNumberOfMessages: String(queue.visible()),
    ApproximateNumberOfMessagesNotVisible: String(queue.inFlight()),
    QueueArn: queue.arn,
    VisibilityTimeout: String(Math.round(queue.visibilityMs / 1000)),
  };
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export { REGION };
