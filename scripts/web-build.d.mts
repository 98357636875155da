// Types of scripts/web-build.mjs (plain JavaScript, so that the Vite config and every test package can import it).
export const repoRoot: string;
/** The stamp's place in the build, relative to the repository root. */
export const WEB_BUILD_STAMP: string;
/** The files the web build is made from, relative to `root`, sorted. */
export function webBuildInputs(root?: string): string[];
/** sha256 (hex) over every input's path and content. */
export function webBuildInputsHash(root?: string): string;
export type WebBuildState = { fresh: true } | { fresh: false; reason: string };
/** Whether the build at `root` exists and was made from the sources as they are now; if not, why. */
export function webBuildState(root?: string): WebBuildState;
/** Builds through Turborepo, as `npm test` does. */
export function turboWebBuild(root?: string, options?: { force?: boolean }): void;
/** Rebuilds a build that is missing, unstamped or older than its sources (once more with `force` if still not); throws if it still is not current. */
export function ensureWebBuild(options?: { root?: string; build?: (root: string, options: { force: boolean }) => void; log?: (line: string) => void }): void;
