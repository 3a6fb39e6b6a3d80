/** @b3lake/lake/sqs — SQS sender for pipeline jobs (AWS SDK v3). */
export { SqsQueue, SqsSendError } from './lib/sqs/sqs-queue';
