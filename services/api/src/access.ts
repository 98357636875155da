import type { RouteAccess } from '@sopu/core';

/** The OpenAPI extension on every operation that says who may call it. */
export const ACCESS_EXTENSION = 'x-sopu-access';

/**
 * Spread into `createRoute({...})`: who may call the operation. The route matrix (tests/proof/matrix.test.ts) reads
 * it from /openapi.json and fails for an operation without it (docs/decisions/013-route-access-matrix.md).
 */
export const access = (rule: RouteAccess) => ({ [ACCESS_EXTENSION]: rule }) as { 'x-sopu-access': RouteAccess };
