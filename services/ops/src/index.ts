export { run, EXIT, type Io } from './cli.ts';
export { parseCommand, parseMunicipality, USAGE, UsageError, type Command } from './args.ts';
export { readOpsEnv, type OpsEnv } from './env.ts';
