import { queueAttributes } from './aws-endpoint';
import type { Published } from './cloud';
import type { AwsRequest } from './iam';
import type { BoxFunction } from './lambdas';
import type { BoxQueue } from './sqs';
import type { TaskState } from './state-machine';

/** What a state machine task reaches in the box. */
export interface TaskWorld {
  functionByArn(arn: string): BoxFunction;
  queues: BoxQueue[];
  requests: AwsRequest[];
  published: Published[];
}

/**
 * One Task state of the finalize workflow, as Step Functions would run it with the state
 * machine's role: a Lambda invoke, the SQS GetQueueAttributes SDK integration or an SNS publish.
 */
export async function runTask(box: TaskWorld, roleArn: string, state: TaskState, input: unknown): Promise<unknown> {
  const via = `state machine: ${state.name}`;
  const args = input as Record<string, unknown>;
  if (state.resource.startsWith('arn:aws:lambda:') || state.resource === 'arn:aws:states:::lambda:invoke') {
    const direct = state.resource.startsWith('arn:aws:lambda:');
    const fn = box.functionByArn(direct ? state.resource : String(args['FunctionName']));
    box.requests.push({ principal: roleArn, action: 'lambda:InvokeFunction', resource: fn.spec.arn, via });
    if (fn.throttleNext > 0) {
      fn.throttleNext--;
      throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
    }
    const result = await fn.invoke(direct ? input : args['Payload']);
    // Step Functions reports a function error as Error = errorType, Cause = the error as JSON.
    if (!result.ok)
      throw Object.assign(
        new Error(JSON.stringify({ errorType: result.errorType, errorMessage: result.errorMessage })),
        { name: result.errorType },
      );
    return direct ? result.result : { StatusCode: 200, Payload: result.result };
  }
  if (state.resource === 'arn:aws:states:::aws-sdk:sqs:getQueueAttributes') {
    const queue = box.queues.find((q) => q.url === args['QueueUrl']);
    if (!queue)
      throw Object.assign(new Error(`no queue ${String(args['QueueUrl'])}`), {
        name: 'Sqs.QueueDoesNotExistException',
      });
    box.requests.push({ principal: roleArn, action: 'sqs:GetQueueAttributes', resource: queue.arn, via });
    return { Attributes: queueAttributes(queue) };
  }
  if (state.resource === 'arn:aws:states:::sns:publish') {
    box.requests.push({ principal: roleArn, action: 'sns:Publish', resource: String(args['TopicArn']), via });
    box.published.push({
      topicArn: String(args['TopicArn']),
      subject: args['Subject'] as string | undefined,
      message: typeof args['Message'] === 'string' ? args['Message'] : JSON.stringify(args['Message']),
      via,
    });
    return { MessageId: `box-${box.published.length}` };
  }
  throw Object.assign(new Error(`${state.resource} is not emulated by the cloud-in-a-box`), {
    name: 'States.TaskFailed',
  });
}
