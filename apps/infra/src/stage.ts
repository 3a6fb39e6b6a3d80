import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { B3lakeStack } from './stack';

/** One deployment: a stage name (CDK context `stage`) and its stack, in any account and region. */
export class B3lakeStage extends Stage {
  readonly stack: B3lakeStack;

  constructor(scope: Construct, id: string, props: StageProps & { stage: string; notifyEmail?: string }) {
    super(scope, id, props);
    this.stack = new B3lakeStack(this, 'B3lake', {
      stage: props.stage,
      notifyEmail: props.notifyEmail,
      stackName: `b3lake-${props.stage}`,
      description: `b3lake (${props.stage}): Fundamentus and B3 data lake`,
    });
  }
}
