export { createApi, type ApiOptions } from './app.ts';
export { access, ACCESS_EXTENSION } from './access.ts';
export { originGuard, securityHeaders, noStore, clientIp, isAllowedOrigin, authenticatesByBearer, API_BASE, PUBLIC_API_MUTATIONS, hostGuard, isServedHost, MISDIRECTED, type OriginGuardOptions, type ServedHosts } from './security.ts';
export { errorResponse, STATUS_BY_CODE, type ErrorLog } from './errors.ts';
export { VERIFY_BODY_MAX_BYTES } from './exports.ts';
export { ATTACHMENT_BODY_MAX_BYTES } from './consultation.ts';
