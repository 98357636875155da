export { createApi, type ApiOptions } from './app.ts';
export { originGuard, securityHeaders, noStore, clientIp, isAllowedOrigin } from './security.ts';
export { errorResponse, STATUS_BY_CODE } from './errors.ts';
