import type { CoreDeps } from '@sopu/core';

declare module '@remix-run/node' {
  interface AppLoadContext {
    deps: CoreDeps;
    env: { publicUrl: string };
    clientIp: string | null;
  }
}

export {};
