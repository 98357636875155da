export { hashPassword, verifyPassword, verifyAgainstDummy, passwordProblem, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './password.ts';
export { generateToken, hashToken, readBearerToken } from './tokens.ts';
export { createSessions, readSessionCookie, SESSION_COOKIE, type Sessions, type SessionOptions, type SessionUser, type ValidSession, type Cookie } from './sessions.ts';
export { createLoginThrottle, DEFAULT_THROTTLE, type AttemptSource, type LockScope, type LoginThrottle, type ThrottleOptions, type ThrottleVerdict } from './throttle.ts';
export { DEVICE_COOKIE, DEVICE_TTL_MS, DEVICES_PER_USER, findKnownDevice, issueKnownDevice, pruneKnownDevices, readDeviceCookie, serializeDeviceCookie, type IssuedDevice, type KnownDevice } from './devices.ts';
