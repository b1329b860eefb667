// @ts-check
/**
 * The sandbox's fixed names and values: its one shop, the endpoints it serves, the fault and forge
 * kinds, and the inputs that make a payout fail.
 */

/** @type {Readonly<import('./types.mjs').ShopConfig>} */
export const DEFAULT_SHOP = Object.freeze({
	eshopId: '450000',
	bearerToken: 'sandbox-bearer-token-7f3a',
	signSecretKey: 'SIGNSECRET',
	shopSecretKey: 'SHOPSECRET',
	login: 'operator@example.com',
	password: 'sandbox-password-9c1e',
	eshopAccount: '1234567',
	resultUrl: '',
});

/** A card number whose payouts (createOperation) end Failed; Luhn-valid. */
export const FAILING_PAYOUT_PAN = '4000000000000002';
/** A recipient name whose payouts (createOperation) end Failed. */
export const FAILING_RECIPIENT_NAME = 'FAIL';

/** @type {readonly import('./types.mjs').NotificationForge[]} */
export const NOTIFICATION_FORGES = Object.freeze([
	'hash',
	'otherShop',
	'missingField',
	'cp1251',
	'replay',
]);

/** The sandbox's own "the buyer pays" endpoint (buyer.mjs); IntellectMoney has no such thing. */
export const BUYER_PAYS = 'sandbox/pay';

/** The IntellectMoney endpoints the sandbox serves, as their paths (README.md). */
export const ENDPOINTS = Object.freeze({
	getUserToken: 'personal/user/getUserToken',
	createInvoice: 'merchant/createInvoice',
	purchaseToPaid: 'merchant/purchaseToPaid',
	purchaseToRefund: 'merchant/purchaseToRefund',
	createOperation: 'personal/payout/createOperation',
	executeOperation: 'personal/payout/executeOperation',
	getOperationState: 'personal/payout/getOperationState',
	getInvoicesHistory: 'personal/payment/getInvoicesHistory',
	getAccountData: 'personal/payment/getAccountData',
});

/** @type {readonly import('./types.mjs').FaultKind[]} */
export const FAULT_KINDS = Object.freeze([
	'reset',
	'timeout',
	'http500',
	'http502',
	'http503',
	'http429',
	'html',
	'xml',
	'redirect307',
	'echoHtml',
	'truncated',
	'applyThenDrop',
	'latency',
	'http202',
	'drip',
]);
