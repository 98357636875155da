/** Dispatched on window once React has hydrated the page (see entry.client.tsx). */
export const HYDRATED_EVENT = 'sopu:hydrated';

export function announceHydrated(): void {
  window.dispatchEvent(new Event(HYDRATED_EVENT));
}
