// @ts-check
/**
 * The sandbox's own signing recipes, written from IntellectMoney's pages with node:crypto and on
 * purpose NOT shared with nodes/ or credentials/: an imitation that reused the node's signing code
 * would agree with any bug in it. test/vectors/intellectmoney-vectors.json (Python's hashlib) proves
 * them, in test/sandbox/recipes.test.mjs.
 *
 * The rule (developer.intellectmoney.ru/info/signature, docs/intellectmoney-api.md §3): the values in
 * the documented order, joined with `::`, the key appended as the last segment, an absent value as
 * an empty segment, UTF-8, lower-case hex. `Sign` is SHA-256 with the Sign Secret Key; the body
 * `Hash` / `PurchaseHash` and the notification `hash` are MD5 with the shop's Secret Key.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { ENDPOINTS } from './constants.mjs';

/**
 * A request's field by name (wire.mjs `fieldReader`); undefined = absent.
 * @typedef {(name: string) => string | undefined} FieldReader
 */
/**
 * The string a recipe hashes, from the request's fields and the key.
 * @typedef {(f: FieldReader, key: string) => string} Recipe
 */

/**
 * Sign segments of createInvoice, in order (dev/merchant/api/createInvoice; the body Hash uses the
 * same values with the shop SecretKey). FailUrl is included: docs/intellectmoney-api.md §7 Q1 (the
 * dev page's `SuccessUrl::::BackUrl` is read as a rendering glitch; the SDK, the wiki and every
 * client sign FailUrl).
 */
export const CREATE_INVOICE_SIGN_FIELDS = Object.freeze([
	'EshopId',
	'OrderId',
	'ServiceName',
	'RecipientAmount',
	'RecipientCurrency',
	'UserName',
	'Email',
	'SuccessUrl',
	'FailUrl',
	'BackUrl',
	'ResultUrl',
	'ExpireDate',
	'HoldMode',
	'Preference',
]);
/** PurchaseHash segments of createInvoice (the official PHP SDK's `_hashPatterns.purchaseHash`). */
const CREATE_INVOICE_PURCHASE_HASH_FIELDS = [
	'EshopId',
	'OrderId',
	'ServiceName',
	'RecipientAmount',
	'RecipientCurrency',
];
/** Sign segments of getInvoicesHistory, in order (dev/personal/api/getInvoicesHistory). */
const INVOICES_HISTORY_SIGN_FIELDS = [
	'UserToken',
	'Skip',
	'Take',
	'EshopId',
	'InvoiceId',
	'DateFrom',
	'DateTo',
	'ChangeDateFrom',
	'ChangeDateTo',
	'IncludePaymentTransactions',
	'IsHoldingSearch',
	'OrganizationId',
	'OwnerEmail',
	'WithRefunds',
];
/** Sign segments of payout createOperation, in order (dev/payout/api/createOperation). */
const CREATE_OPERATION_SIGN_FIELDS = [
	'UserToken',
	'PreferenceType',
	'Pan',
	'Account',
	'BankId',
	'Amount',
	'Currency',
	'RecipientName',
	'EshopId',
];
/** Notification hash segments (docs/intellectmoney-api.md §5); the shop SecretKey is appended. */
const NOTIFICATION_HASH_FIELDS = [
	'eshopId',
	'orderId',
	'serviceName',
	'eshopAccount',
	'recipientAmount',
	'recipientCurrency',
	'paymentStatus',
	'userName',
	'userEmail',
	'paymentData',
];

/** @param {readonly string[]} names @returns {Recipe} */
const fieldsThenKey = (names) => (f, key) =>
	[...names.map((name) => f(name) ?? ''), key].join('::');

/**
 * purchaseToPaid / purchaseToRefund: `EshopId::OrderId::<action>::key`. `ToPaid` is a literal
 * (seeds/004); an absent OrderId keeps an empty segment (docs/intellectmoney-api.md §3 example 3).
 * @param {'ToPaid' | 'Refund'} action @returns {Recipe}
 */
const purchaseAction = (action) => (f, key) =>
	`${f('EshopId') ?? ''}::${f('OrderId') ?? ''}::${action}::${key}`;

/**
 * `UserToken::AccountId::BalanceOnDate::::key` (dev/personal/api/getAccountData): the page prints an
 * empty segment before the key, and so it is signed.
 * @type {Recipe}
 */
const accountData = (f, key) =>
	[f('UserToken') ?? '', f('AccountId') ?? '', f('BalanceOnDate') ?? '', '', key].join('::');

/** `UserToken::PayoutOperationId::key` (seeds/000, executeOperation). @type {Recipe} */
const payoutById = (f, key) => `${f('UserToken') ?? ''}::${f('PayoutOperationId') ?? ''}::${key}`;

/**
 * Endpoint → the recipe of its `Sign` header and, for the merchant API, of its body `Hash` and
 * `PurchaseHash` (the names are test/vectors/intellectmoney-vectors.json's `endpoint` and `part`).
 * @type {Record<string, { sign: Recipe, hash?: Recipe, purchaseHash?: Recipe }>}
 */
export const RECIPES = {
	[ENDPOINTS.createInvoice]: {
		sign: fieldsThenKey(CREATE_INVOICE_SIGN_FIELDS),
		hash: fieldsThenKey(CREATE_INVOICE_SIGN_FIELDS),
		purchaseHash: fieldsThenKey(CREATE_INVOICE_PURCHASE_HASH_FIELDS),
	},
	// seeds/004: Hash and PurchaseHash share the Sign's formula with the shop SecretKey.
	[ENDPOINTS.purchaseToPaid]: {
		sign: purchaseAction('ToPaid'),
		hash: purchaseAction('ToPaid'),
		purchaseHash: purchaseAction('ToPaid'),
	},
	// dev/merchant/api/purchaseToRefund publishes the Sign; its Hash is the sandbox's inference by
	// analogy with purchaseToPaid (the page is cut before it, docs/intellectmoney-api.md §2.1).
	[ENDPOINTS.purchaseToRefund]: {
		sign: purchaseAction('Refund'),
		hash: purchaseAction('Refund'),
		purchaseHash: purchaseAction('Refund'),
	},
	// Not published; single-source (docs/intellectmoney-api.md §7 Q6, python-intellectmoney of
	// Magomedov-Magomed): segments '', Login, Password, '' then the key.
	[ENDPOINTS.getUserToken]: {
		sign: (f, key) => ['', f('Login') ?? '', f('Password') ?? '', '', key].join('::'),
	},
	[ENDPOINTS.getInvoicesHistory]: { sign: fieldsThenKey(INVOICES_HISTORY_SIGN_FIELDS) },
	[ENDPOINTS.getAccountData]: { sign: accountData },
	[ENDPOINTS.createOperation]: { sign: fieldsThenKey(CREATE_OPERATION_SIGN_FIELDS) },
	[ENDPOINTS.executeOperation]: { sign: payoutById },
	// getOperationState's Sign is not published: the sandbox's guess, copied from executeOperation,
	// which takes the same two fields (docs/intellectmoney-api.md §2.3).
	[ENDPOINTS.getOperationState]: { sign: payoutById },
};

/**
 * The string the notification `hash` is the MD5 of (docs/intellectmoney-api.md §5): the ten values
 * as sent (names exactly, absent = empty), then the shop SecretKey.
 * @param {Record<string, string>} fields @param {string} secretKey
 */
export function notificationHashString(fields, secretKey) {
	return [...NOTIFICATION_HASH_FIELDS.map((name) => fields[name] ?? ''), secretKey].join('::');
}

/** @param {string} text */
export function sha256Hex(text) {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** @param {string} text */
export function md5Hex(text) {
	return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * The notification `hash`: md5 of notificationHashString, UTF-8, lower-case hex.
 * @param {Record<string, string>} fields @param {string} secretKey
 */
export function notificationHash(fields, secretKey) {
	return md5Hex(notificationHashString(fields, secretKey));
}

/**
 * Constant-time comparison; exact bytes, so upper-case hex is refused (docs/intellectmoney-api.md §0
 * "Hex case": every known client sends lower case, the server's tolerance is unknown).
 * @param {string | undefined} received
 * @param {string} expected
 */
export function safeEqual(received, expected) {
	if (typeof received !== 'string') return false;
	const a = Buffer.from(received, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}
