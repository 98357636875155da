import type { CoreDeps } from '@sopu/core';

declare module '@remix-run/node' {
  interface AppLoadContext {
    deps: CoreDeps;
    env: { publicUrl: string };
    clientIp: string | null;
    /** The server's logger (JSON lines with the request id); absent in tests that render without the server. */
    log?: { error(fields: object, message: string): void };
  }
}

export {};
