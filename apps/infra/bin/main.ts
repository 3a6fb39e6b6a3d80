#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { B3lakeStage } from '../src/stage';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
const notifyEmail = app.node.tryGetContext('notifyEmail') as string | undefined;
// Account and region come from the CLI's credentials at deploy time; nothing is hard-coded.
new B3lakeStage(app, `b3lake-${stage}`, {
  stage,
  notifyEmail,
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
