// Every translation, for the server: a request may be in any language. (The browser loads only its page's.)
import en from './locales/en.json';
import fi from './locales/fi.json';
import { registerTranslation } from './i18n.ts';
import sv from './locales/sv.json';

export function registerAllTranslations(): void {
  registerTranslation('fi', fi);
  registerTranslation('sv', sv);
  registerTranslation('en', en);
}
