export { createApi, type ApiOptions } from './app.ts';
export { originGuard, securityHeaders, clientIp, isAllowedOrigin } from './security.ts';
export { errorResponse, STATUS_BY_CODE } from './errors.ts';
