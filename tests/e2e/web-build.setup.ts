import { ensureWebBuild } from '../../scripts/web-build.mjs';

/** Vitest's global setup for e2e: every file runs the production build, so it must be made from the sources as they are. */
export default function setup(): void {
  ensureWebBuild();
}
