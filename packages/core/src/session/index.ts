// The face of session: log-in, log-out and the session of a request.
// Other features import session from here only (docs/decisions/021-feature-folders.md).

export { getUnlock, mailUnlockLink, UNLOCK_MAIL_INTERVAL_MS, UNLOCK_TTL_MS, unlockLogin, type UnusableUnlock } from './login-unlock.ts';
export { authenticate, deviceCookieHeader, login, type LoginInput, logout, pruneExpired } from './session.ts';
