import { runForObjects, withPowertools } from '@b3lake/aws-runtime';
import { specializeStep } from '@b3lake/pipeline';
import type { S3Event } from 'aws-lambda';

/** S3 notification: SoT object written → Spec row. */
export const handler = withPowertools((event: S3Event) => runForObjects(event, specializeStep));
