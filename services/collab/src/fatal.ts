/**
 * What Node advises for an error nobody foresaw: log it and exit, for a supervisor to start a fresh process
 * (`npm start` does at once). Nothing is lost by exiting: every update is stored before anyone sees it. Every
 * input from a client is handled inside a handler; reaching this is a bug to fix, not a state to carry on from.
 */
export function exitOnFatalError(name: string, log?: { fatal(fields: object, message: string): void }): void {
  const fatal = (kind: string) => (error: unknown) => {
    try {
      if (log) log.fatal({ err: error }, `fatal ${kind}, exiting`);
      else console.error(`[${name}] fatal ${kind}, exiting:`, error);
    } finally {
      process.exit(70);
    }
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}
