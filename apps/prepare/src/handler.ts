import { runForObjects, withPowertools } from '@b3lake/aws-runtime';
import { prepareStep } from '@b3lake/pipeline';
import type { S3Event } from 'aws-lambda';

/** S3 notification: SoR object written → SoT row (typed). */
export const handler = withPowertools((event: S3Event) => runForObjects(event, prepareStep));
