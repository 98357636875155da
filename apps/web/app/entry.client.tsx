import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { HYDRATED_EVENT } from './hydration.ts';
import { createI18n, DEFAULT_LANGUAGE, isLanguage, loadTranslation, type Language } from './i18n.ts';

/*
 * Remix (with single fetch) suspends its first render while it decodes the page's data. A click, key press or focus
 * change in that moment makes React 18 hydrate synchronously, which cannot suspend: hydration fails ("Root did not
 * complete", React error #345) and the page stays plain HTML, without the live parts. Until hydration has committed,
 * such events therefore reach only the browser's own handling (links, forms and Tab work as plain HTML), not React.
 */
const SHIELDED_EVENTS = [
  'auxclick', 'beforeinput', 'change', 'click', 'compositionend', 'compositionstart', 'contextmenu', 'dblclick',
  'focusin', 'focusout', 'input', 'keydown', 'keypress', 'keyup', 'mousedown', 'mouseup', 'pointerdown', 'pointerup',
  'submit', 'touchend', 'touchstart',
];
const shield = (event: Event) => event.stopPropagation();
for (const type of SHIELDED_EVENTS) window.addEventListener(type, shield, true);
window.addEventListener(
  HYDRATED_EVENT,
  () => {
    for (const type of SHIELDED_EVENTS) window.removeEventListener(type, shield, true);
  },
  { once: true },
);

// The server wrote the page's language into <html lang>; starting in the same language keeps hydration exact. Only
// that language's translation is loaded. If it cannot be (the network failed), the page stays as the server sent
// it: plain HTML, whose links and forms work, rather than hydrated with untranslated keys.
const lang = isLanguage(document.documentElement.lang) ? (document.documentElement.lang as Language) : DEFAULT_LANGUAGE;
loadTranslation(lang).then(
  () => {
    const i18n = createI18n(lang);
    startTransition(() => {
      hydrateRoot(
        document,
        <I18nextProvider i18n={i18n}>
          <StrictMode>
            <RemixBrowser />
          </StrictMode>
        </I18nextProvider>,
      );
    });
  },
  (error: unknown) => console.error('Sopu: the page language could not be loaded; the page works without its live parts.', error),
);
