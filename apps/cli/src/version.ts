// The workspace's package.json is not an Nx project; it is where the release version lives.
// eslint-disable-next-line @nx/enforce-module-boundaries
import workspace from '../../../package.json';

/** b3lake's version: the workspace's package.json, inlined by the bundler. */
export const VERSION: string = workspace.version;
