// @ts-check
/**
 * The endpoints the sandbox serves, by path. Each one's Sign and body Hash recipes are in
 * recipes.mjs; checks.mjs applies them before the endpoint runs.
 */
import { getAccountData } from './accounts.mjs';
import { ENDPOINTS } from './constants.mjs';
import { getInvoicesHistory } from './invoice-history.mjs';
import { createInvoice, purchaseToPaid, purchaseToRefund } from './merchant.mjs';
import { createOperation, executeOperation, getOperationState } from './payouts.mjs';
import { getUserToken } from './personal.mjs';

/**
 * How the sandbox treats one endpoint once its request has passed the checks.
 * @typedef {object} Endpoint
 * @property {(state: import('./state.mjs').SandboxState, f: import('./recipes.mjs').FieldReader) => import('./answers.mjs').Answer} run
 *   the endpoint's own checks and effects
 * @property {(f: import('./recipes.mjs').FieldReader) => boolean} [credentialsOptional]  true = the
 *   Authorization and Sign headers may be left out (checked when sent): createInvoice in TST
 * @property {boolean} [namesPurchaseHash]  a wrong PurchaseHash (with a right Hash) is refused naming
 *   PurchaseHash; otherwise every body hash refusal names Hash
 */

/** @type {Readonly<Record<string, Endpoint>>} */
export const ROUTES = Object.freeze({
	[ENDPOINTS.getUserToken]: getUserToken,
	[ENDPOINTS.createInvoice]: createInvoice,
	[ENDPOINTS.purchaseToPaid]: purchaseToPaid,
	[ENDPOINTS.purchaseToRefund]: purchaseToRefund,
	[ENDPOINTS.createOperation]: createOperation,
	[ENDPOINTS.executeOperation]: executeOperation,
	[ENDPOINTS.getOperationState]: getOperationState,
	[ENDPOINTS.getInvoicesHistory]: getInvoicesHistory,
	[ENDPOINTS.getAccountData]: getAccountData,
});

/** The endpoint served at a path; undefined = none. @param {string} path */
export const routeOf = (path) => (Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined);
