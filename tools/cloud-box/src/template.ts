import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ACCOUNT = '123456789012';
export const REGION = 'sa-east-1';

// Shapes of a CloudFormation template: values are whatever the template holds.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface CfnResource {
  Type: string;
  Properties: Record<string, any>;
  DependsOn?: string | string[];
}

export interface Assembly {
  template: { Resources: Record<string, CfnResource>; Outputs?: Record<string, { Value: unknown }> };
  /** Directory of a file asset by its S3 object key (`<hash>.zip` → `asset.<hash>/`). */
  assetPath(objectKey: string): string;
}

/** Reads the one stack of a synthesized cloud assembly (`cdk.out`, stage nested or not) and its asset manifest. */
export function loadAssembly(cdkOut: string): Assembly {
  const nested = readdirSync(cdkOut).filter((n) => n.startsWith('assembly-'));
  const dir = nested.length === 1 ? join(cdkOut, nested[0]) : cdkOut;
  const templateFile = readdirSync(dir).find((n) => n.endsWith('.template.json'));
  if (!templateFile) throw new Error(`no stack template in ${dir}`);
  const template = JSON.parse(readFileSync(join(dir, templateFile), 'utf8'));
  const assets = JSON.parse(
    readFileSync(join(dir, templateFile.replace('.template.json', '.assets.json')), 'utf8'),
  ) as {
    files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const byKey = new Map<string, string>();
  for (const file of Object.values(assets.files)) {
    for (const destination of Object.values(file.destinations))
      byKey.set(destination.objectKey, resolve(dir, file.source.path));
  }
  return {
    template,
    assetPath: (objectKey) => {
      const path = byKey.get(objectKey);
      if (!path) throw new Error(`asset ${objectKey} is not in the assembly (${dirname(templateFile)})`);
      return path;
    },
  };
}

/** What a logical id stands for once "deployed" in the box: its Ref value and attributes. */
export interface Physical {
  ref: string;
  attrs: Record<string, string>;
}

/**
 * Gives every resource a physical identity in the box: buckets get lower-case names (s3rver),
 * queues URLs on the box endpoint, functions/roles/topics/state machines ARNs in a fixed
 * account and region. Names are derived from logical ids, so they are stable between runs.
 */
export function physicalIds(resources: Record<string, CfnResource>, endpoint: string): Map<string, Physical> {
  const out = new Map<string, Physical>();
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::S3::Bucket': {
        const name = `box-${id.toLowerCase()}`.slice(0, 63);
        out.set(id, { ref: name, attrs: { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` } });
        break;
      }
      case 'AWS::SQS::Queue':
        out.set(id, {
          ref: `${endpoint}/${ACCOUNT}/${id}`,
          attrs: { Arn: arn('sqs', id), QueueName: id, QueueUrl: `${endpoint}/${ACCOUNT}/${id}` },
        });
        break;
      case 'AWS::Lambda::Function':
        out.set(id, { ref: id, attrs: { Arn: arn('lambda', `function:${id}`) } });
        break;
      case 'AWS::IAM::Role':
        out.set(id, { ref: id, attrs: { Arn: `arn:aws:iam::${ACCOUNT}:role/${id}`, RoleId: `ROLE${id}` } });
        break;
      case 'AWS::SNS::Topic':
        out.set(id, { ref: arn('sns', id), attrs: { TopicArn: arn('sns', id), TopicName: id } });
        break;
      case 'AWS::StepFunctions::StateMachine':
        out.set(id, {
          ref: arn('states', `stateMachine:${id}`),
          attrs: { Arn: arn('states', `stateMachine:${id}`), Name: id },
        });
        break;
      case 'AWS::Logs::LogGroup':
        out.set(id, { ref: `/box/${id}`, attrs: { Arn: arn('logs', `log-group:/box/${id}:*`) } });
        break;
      case 'AWS::Glue::Job':
      case 'AWS::Glue::SecurityConfiguration':
      case 'AWS::Athena::WorkGroup':
        out.set(id, { ref: String(p['Name']), attrs: {} });
        break;
      case 'AWS::Glue::Database':
        out.set(id, { ref: String(p['DatabaseInput']?.Name), attrs: {} });
        break;
      default:
        out.set(id, { ref: id, attrs: { Arn: arn('box', id) } });
    }
  }
  return out;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'b3lake-box',
  'AWS::NoValue': '',
};

/** Resolves the intrinsic functions CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split). */
export function resolveValue(value: any, ids: Map<string, Physical>): any {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ids));
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = value[fn];
    const ref = (name: string): string => {
      if (name in PSEUDO) return PSEUDO[name];
      const physical = ids.get(name);
      if (!physical) throw new Error(`Ref to unknown resource ${name}`);
      return physical.ref;
    };
    const getAtt = (id: string, attr: string): string => {
      const v = ids.get(id)?.attrs[attr];
      if (v === undefined) throw new Error(`Fn::GetAtt ${id}.${attr} is not known to the box`);
      return v;
    };
    switch (fn) {
      case 'Ref':
        return ref(arg);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
        return getAtt(id, attr);
      }
      case 'Fn::Join':
        return (resolveValue(arg[1], ids) as unknown[]).join(arg[0]);
      case 'Fn::Select':
        return resolveValue(arg[1], ids)[Number(resolveValue(arg[0], ids))];
      case 'Fn::Split':
        return String(resolveValue(arg[1], ids)).split(arg[0]);
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? [arg[0], resolveValue(arg[1], ids)] : [arg, {}];
        return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) =>
          name in vars ? vars[name] : name.includes('.') ? getAtt(name.split('.')[0], name.split('.')[1]) : ref(name),
        );
      }
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, ids)]));
}
