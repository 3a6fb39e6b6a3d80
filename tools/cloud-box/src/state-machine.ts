import { StateMachine } from 'aws-local-stepfunctions';

// aws-local-stepfunctions 3 uses Promise.withResolvers (Node ≥ 22); this machine runs Node 20.
const promiseStatics = Promise as unknown as { withResolvers?: unknown };
promiseStatics.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

/* eslint-disable @typescript-eslint/no-explicit-any */
type States = Record<string, any>;

export interface TaskState {
  name: string;
  resource: string;
}

/** Every Task, Wait and retrying state of a definition, Parallel branches included. */
function walk(states: States, visit: (name: string, state: any) => void): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    for (const branch of state.Branches ?? []) walk(branch.States, visit);
    if (state.ItemProcessor) walk(state.ItemProcessor.States, visit);
  }
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
}

/**
 * The synthesized Amazon States Language definition executed by aws-local-stepfunctions. Each
 * Task runs through `task(state, input)` (the box invokes the bundled function or the emulated
 * service, after checking the state machine role); Wait durations and Retry intervals are scaled.
 */
export class BoxStateMachine {
  readonly tasks: TaskState[] = [];
  private readonly waits: Record<string, number> = {};
  private readonly retries: Record<string, number[]> = {};

  constructor(
    private readonly definition: { States: States },
    timeScale: number,
    private readonly task: (state: TaskState, input: unknown) => Promise<unknown>,
  ) {
    walk(definition.States, (name, state) => {
      if (state.Type === 'Task') this.tasks.push({ name, resource: state.Resource });
      if (state.Type === 'Wait' && typeof state.Seconds === 'number')
        this.waits[name] = state.Seconds * 1000 * timeScale;
      if (state.Retry)
        this.retries[name] = state.Retry.map(
          (r: { IntervalSeconds?: number }) => (r.IntervalSeconds ?? 1) * 1000 * timeScale,
        );
    });
  }

  private executions = 0;

  /** Runs one execution with the Context Object Step Functions gives (execution id and name, start time, role). */
  async execute(input: unknown, machineArn: string, roleArn: string): Promise<ExecutionResult> {
    const machine = new StateMachine(this.definition as never, { validationOptions: { checkArn: false } });
    const name = `box-${++this.executions}`;
    const context = {
      Execution: {
        Id: `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`,
        Name: name,
        Input: input,
        StartTime: new Date().toISOString(),
        RoleArn: roleArn,
      },
      StateMachine: { Id: machineArn, Name: machineArn.split(':').pop() },
    };
    const taskResourceLocalHandlers = Object.fromEntries(
      this.tasks.map((t) => [t.name, (taskInput: unknown) => this.task(t, taskInput) as Promise<never>]),
    );
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers,
        waitTimeOverrides: this.waits,
        retryIntervalOverrides: this.retries as never,
      },
      context: context as never,
    });
    try {
      return { status: 'SUCCEEDED', output: await execution.result };
    } catch (error) {
      const e = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
      return { status: 'FAILED', error: e.cause?.name ?? e.name, cause: e.cause?.message ?? e.message };
    }
  }
}
