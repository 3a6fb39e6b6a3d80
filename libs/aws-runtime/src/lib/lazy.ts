import type { PipelineContext } from '@b3lake/pipeline';
import { awsContext } from './context';
import { readEnv, type RuntimeEnv } from './env';

let cached: { env: RuntimeEnv; ctx: PipelineContext } | undefined;

/** Environment and adapters built once per Lambda container (on first use, so a warm start reuses them). */
export function runtime(): { env: RuntimeEnv; ctx: PipelineContext } {
  if (!cached) {
    const env = readEnv();
    cached = { env, ctx: awsContext(env) };
  }
  return cached;
}

/** For tests: forget the cached adapters. */
export function resetRuntime(): void {
  cached = undefined;
}
