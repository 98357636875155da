export { hashPassword, verifyPassword, verifyAgainstDummy, passwordProblem, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './password.ts';
export { generateToken, hashToken, readBearerToken } from './tokens.ts';
export { createSessions, readSessionCookie, SESSION_COOKIE, type Sessions, type SessionOptions, type SessionUser, type ValidSession, type Cookie } from './sessions.ts';
export { createLoginThrottle, DEFAULT_THROTTLE, type AttemptSource, type LockScope, type LoginThrottle, type ThrottleOptions, type ThrottleVerdict } from './throttle.ts';
export { DEVICE_COOKIE, DEVICE_TTL_MS, DEVICES_PER_USER, findKnownDevice, issueKnownDevice, pruneKnownDevices, readDeviceCookie, serializeDeviceCookie, type IssuedDevice, type KnownDevice } from './devices.ts';
export { createSecretBox, resolveSecretsKey, secretsKeyProblem, type SecretBox } from './secrets.ts';
export { generateRecoveryCodes, generateTotpKey, hashRecoveryCode, looksLikeRecoveryCode, matchTotp, RECOVERY_CODE_COUNT, totpCode, totpKeyFromText, totpKeyText, totpKeyUri, totpStep, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW_STEPS } from './totp.ts';
export { createOidc, isAcceptableIssuerUrl, isOidcError, OIDC_CLOCK_SKEW_SECONDS, OIDC_MAX_TOKEN_AGE_SECONDS, OIDC_REFUSALS, OIDC_SCOPES, OidcError, type IdentityClaims, type Oidc, type OidcClientConfig, type OidcRefusal, type SignInTokens } from './oidc.ts';
