import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isLanguage, type Language } from './i18n.ts';

let chunks: Partial<Record<Language, string>> | undefined;

/**
 * The address of a language's translation chunk in the client build (vite.config.ts names them locale-<lang>-…),
 * for the page to preload: the browser fetches it beside the other modules instead of after them, and hydration is
 * not held up. Undefined where there is no client build beside the server's (the Vite dev server).
 */
export function translationChunk(lang: Language): string | undefined {
  if (!chunks) {
    chunks = {};
    // This module runs from the server build: build/server/index.js, or one of its chunks in build/server/assets/
    // since the editor's code is split off (a dynamic import splits the server build too). The client's assets are in
    // build/client/assets: look for them from the module's folder upwards.
    for (const up of ['../', '../../', '../../../']) {
      let files: string[];
      try {
        files = readdirSync(fileURLToPath(new URL(`${up}client/assets/`, import.meta.url)));
      } catch {
        continue;
      }
      for (const file of files) {
        const m = /^locale-(\w+)-[\w-]+\.js$/.exec(file);
        if (m && isLanguage(m[1])) chunks[m[1]] = `/assets/${file}`;
      }
      break;
    }
    // No client build found (the Vite dev server): nothing to preload.
  }
  return chunks[lang];
}
