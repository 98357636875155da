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
    try {
      // This module runs from build/server/index.js; the client's assets are in build/client/assets.
      for (const file of readdirSync(fileURLToPath(new URL('../client/assets/', import.meta.url)))) {
        const m = /^locale-(\w+)-[\w-]+\.js$/.exec(file);
        if (m && isLanguage(m[1])) chunks[m[1]] = `/assets/${file}`;
      }
    } catch {
      // No client build here: nothing to preload.
    }
  }
  return chunks[lang];
}
