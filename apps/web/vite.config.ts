import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  // Workspace packages stay external in the server build: the Node process loads them once (through tsx), so the
  // server bundle and server.ts share one copy of core, and native modules are never parsed by Rollup.
  ssr: { external: ['@sopu/core', '@sopu/auth', '@sopu/db', '@sopu/api', '@sopu/collab', '@libsql/client', '@node-rs/argon2'] },
  optimizeDeps: {
    include: ['yjs', 'y-websocket', 'y-protocols/awareness', '@tiptap/react', '@tiptap/starter-kit', '@tiptap/extension-collaboration', '@tiptap/extension-collaboration-caret', '@tiptap/y-tiptap', 'i18next', 'react-i18next'],
    exclude: ['@libsql/client', '@node-rs/argon2'],
  },
  build: { target: 'es2022' },
});
