// One Lambda execution environment of the cloud-in-a-box: loads a bundle that CDK synthesized
// (asset.<hash>/index.js) once, then runs one invocation at a time sent by the parent over IPC,
// with a Lambda-like context whose remaining time counts down to the function's timeout.
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');

const [bundleDir, handlerName] = [process.env.BOX_BUNDLE_DIR, process.env.BOX_HANDLER || 'index.handler'];
const [file, exported] = handlerName.split('.');
let handler;

process.on('message', async (message) => {
  if (message.type !== 'invoke') return;
  const deadline = Date.now() + message.timeoutMs;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'box',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    handler ??= require(join(bundleDir, file))[exported];
    const result = await handler(message.event, context);
    process.send({
      type: 'result',
      id: message.id,
      result: result === undefined ? null : result,
      maxRssKb: maxRssKb(),
    });
  } catch (error) {
    process.send({
      type: 'error',
      id: message.id,
      errorType: (error && error.name) || 'Error',
      errorMessage: String((error && error.message) || error),
      maxRssKb: maxRssKb(),
    });
  }
});
// The environment's peak resident memory so far, as Lambda's REPORT line gives "Max Memory Used".
function maxRssKb() {
  return process.resourceUsage().maxRSS;
}

process.send({ type: 'ready' });
