import workspace from '../../../package.json';

/** b3lake's version: the workspace's package.json, inlined by the bundler. */
export const VERSION: string = workspace.version;
