// @ts-check
/**
 * The sandbox's state, one object passed to every part: the shop and settings, the invoices (with
 * their payments), payout operations, accounts and user tokens (the ledger is read from them), the
 * request log, the queued faults and the notifications. The functions here add, find and settle
 * records (accounts: accounts.mjs).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import { DEFAULT_SHOP } from './constants.mjs';
import { liveDiffersOf } from './live-differs.mjs';

/**
 * @typedef {import('./types.mjs').Invoice} Invoice
 * @typedef {import('./types.mjs').InvoiceInput} InvoiceInput
 * @typedef {import('./types.mjs').PayoutOperation} PayoutOperation
 * @typedef {import('./types.mjs').PayoutOperationInput} PayoutOperationInput
 */

/**
 * @typedef {object} SandboxSettings
 * @property {number} userTokenTtlMs
 * @property {number} latencyMs  delay before each answer
 * @property {number} payoutSettleAfterReads
 * @property {number} notificationRetries
 * @property {number} notificationRetryDelayMs
 * @property {number} notificationTimeoutMs
 */

/**
 * A queued fault (faults.mjs).
 * @typedef {object} QueuedFault
 * @property {string | undefined} endpoint  undefined = any request
 * @property {number} remaining
 * @property {import('./types.mjs').FaultKind} kind
 * @property {number} latencyMs
 * @property {Record<string, string>} match
 */

/**
 * @typedef {object} NotificationWaiter
 * @property {(entry: import('./types.mjs').NotificationEntry) => boolean} predicate
 * @property {(entry: import('./types.mjs').NotificationEntry) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {ReturnType<typeof setTimeout>} timer
 */

/**
 * @typedef {object} NotificationState
 * @property {import('./types.mjs').NotificationEntry[]} entries  every attempt, in order
 * @property {number} seq
 * @property {{ body: string, fields: Record<string, string> } | undefined} last  for the 'replay'
 *   forge
 * @property {Promise<void>} queue  deliveries run one at a time, in the order of the state changes
 * @property {Set<NotificationWaiter>} waiters
 */

/**
 * @typedef {object} SandboxState
 * @property {import('./types.mjs').ShopConfig} shop
 * @property {SandboxSettings} settings
 * @property {Map<string, Invoice>} invoices
 * @property {Map<string, PayoutOperation>} payouts  keyed by lower-case id: GUIDs compare
 *   case-insensitively
 * @property {Map<string, number>} userTokens  token → expiry (epoch ms)
 * @property {Map<string, import('./types.mjs').Account>} accounts  by AccountId (accounts.mjs)
 * @property {number} orderCounter
 * @property {number} paymentCounter  the last payment Id given (HistoryList)
 * @property {import('./types.mjs').LogEntry[]} log
 * @property {number} seq
 * @property {((entry: import('./types.mjs').LogEntry) => void) | undefined} requestHook
 * @property {QueuedFault[]} faults  first in first out
 * @property {NotificationState} notifications
 * @property {Set<import('./live-differs.mjs').LiveDiffer>} liveDiffers  live-differs.mjs
 * @property {AbortSignal} stopSignal  aborted by stop(): cuts waits short, so that a pending timer
 *   cannot keep the process (or jest) alive
 */

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// seeds/004: InvoiceId is "3xxxxxxxxx".
export const INVOICE_ID_RE = /^3\d{9}$/;

/**
 * paymentStatus of an invoice added in this state (addInvoice), until its next change: a Refund one
 * counts as cancelled (4), its history being unknown.
 * @type {Record<import('./types.mjs').InvoiceState, number>}
 */
const STATUS_OF_STATE = { Created: 3, Held: 6, Paid: 5, Refund: 4 };

/**
 * @param {import('./types.mjs').SandboxOptions} options
 * @param {AbortSignal} stopSignal
 * @returns {SandboxState}
 */
export function createState(options, stopSignal) {
	/**
	 * @param {'payoutSettleAfterReads' | 'notificationRetries' | 'notificationRetryDelayMs' | 'notificationTimeoutMs'} name
	 * @param {number} fallback
	 */
	const countOption = (name, fallback) => {
		const value = options[name] ?? fallback;
		if (!Number.isInteger(value) || value < 0) {
			throw new TypeError(`startSandbox: ${name} must be a non-negative integer, got ${value}`);
		}
		return value;
	};
	return {
		shop: { ...DEFAULT_SHOP, ...(options.shop ?? {}) },
		settings: {
			userTokenTtlMs: options.userTokenTtlMs ?? 15 * 60 * 1000,
			latencyMs: options.latencyMs ?? 0,
			payoutSettleAfterReads: countOption('payoutSettleAfterReads', 2),
			notificationRetries: countOption('notificationRetries', 2),
			notificationRetryDelayMs: countOption('notificationRetryDelayMs', 200),
			notificationTimeoutMs: countOption('notificationTimeoutMs', 5000),
		},
		invoices: new Map(),
		payouts: new Map(),
		userTokens: new Map(),
		accounts: new Map(),
		orderCounter: 0,
		paymentCounter: 0,
		log: [],
		seq: 0,
		requestHook: undefined,
		faults: [],
		notifications: {
			entries: [],
			seq: 0,
			last: undefined,
			queue: Promise.resolve(),
			waiters: new Set(),
		},
		liveDiffers: liveDiffersOf(options.liveDiffers),
		stopSignal,
	};
}

/** @param {SandboxState} state @param {string} orderId */
export function invoiceByOrder(state, orderId) {
	for (const inv of state.invoices.values()) if (inv.orderId === orderId) return inv;
	return undefined;
}

/** An invoice by its InvoiceId or OrderId. @param {SandboxState} state @param {string} idOrOrder */
export function findInvoice(state, idOrOrder) {
	return state.invoices.get(idOrOrder) ?? invoiceByOrder(state, idOrOrder);
}

/** @param {SandboxState} state @param {InvoiceInput} [input] @returns {Invoice} */
export function addInvoice(state, input = {}) {
	let invoiceId = input.invoiceId;
	if (invoiceId === undefined) {
		do invoiceId = '3' + String(randomInt(0, 1e9)).padStart(9, '0');
		while (state.invoices.has(invoiceId));
	} else if (!INVOICE_ID_RE.test(invoiceId)) {
		throw new TypeError(
			`addInvoice: invoiceId must be 10 digits starting with 3, got ${invoiceId}`,
		);
	} else if (state.invoices.has(invoiceId)) {
		throw new TypeError(`addInvoice: invoice ${invoiceId} already exists`);
	}
	let orderId = input.orderId;
	if (orderId === undefined) {
		do orderId = `sandbox-order-${++state.orderCounter}`;
		while (invoiceByOrder(state, orderId));
	} else if (invoiceByOrder(state, orderId)) {
		// The shop option "Принимать только уникальный номер покупки" (seeds/004) is on.
		throw new TypeError(`addInvoice: order ${orderId} already exists`);
	}
	const invoiceState = input.state ?? 'Held';
	if (!['Held', 'Created', 'Paid', 'Refund'].includes(invoiceState))
		throw new TypeError(`addInvoice: bad state ${invoiceState}`);
	const outcome = input.outcome ?? 'ok';
	if (!['ok', 'queued', 'warning'].includes(outcome)) {
		throw new TypeError(`addInvoice: bad outcome ${outcome}`);
	}
	const createdAt = input.createdAt === undefined ? Date.now() : Number(input.createdAt);
	if (!Number.isFinite(createdAt)) throw new TypeError('addInvoice: bad createdAt');
	// A Held or Paid invoice was paid by the buyer: when (its payment in HistoryList, its ChangeDate).
	const paidByBuyer = invoiceState === 'Held' || invoiceState === 'Paid';
	const paidAt = input.paidAt === undefined ? createdAt : Number(input.paidAt);
	if (
		!Number.isFinite(paidAt) ||
		paidAt < createdAt ||
		(!paidByBuyer && input.paidAt !== undefined)
	) {
		throw new TypeError(
			'addInvoice: paidAt must be a time after createdAt, for a Held or Paid invoice',
		);
	}
	/** @type {Invoice} */
	const invoice = {
		invoiceId,
		orderId,
		amount: input.amount ?? '100.00',
		currency: input.currency ?? 'RUB',
		state: invoiceState,
		captures: 0,
		refunds: 0,
		outcome,
		receipt: null,
		createdAt,
		changedAt: paidByBuyer ? paidAt : createdAt,
		serviceName: input.serviceName ?? '',
		userName: input.userName ?? '',
		email: input.email ?? '',
		resultUrl: input.resultUrl ?? '',
		holdMode: input.holdMode ?? invoiceState === 'Held',
		holdTime: input.holdTime ?? null,
		expireDate: input.expireDate ?? '',
		preference: '',
		payer: null,
		paymentStatus: STATUS_OF_STATE[invoiceState],
		refundAmount: '0.00',
		payments: [],
	};
	if (paidByBuyer) recordPayment(state, invoice, 'Purchase', paidAt);
	state.invoices.set(invoiceId, invoice);
	return invoice;
}

/**
 * Adds a confirmed payment of the invoice's amount to its HistoryList: the buyer's (`Purchase`) or
 * the money given back (`Refund`).
 * @param {SandboxState} state @param {Invoice} invoice @param {'Purchase' | 'Refund'} type
 * @param {number} [at]  epoch ms, default now
 */
export function recordPayment(state, invoice, type, at = Date.now()) {
	invoice.payments.push({
		id: ++state.paymentCounter,
		at,
		type,
		state: 'Confirm',
		amount: invoice.amount,
	});
}

/** @param {SandboxState} state @param {PayoutOperationInput} [input] @returns {PayoutOperation} */
export function addPayoutOperation(state, input = {}) {
	const id = input.id ?? randomUUID();
	if (!GUID_RE.test(id)) throw new TypeError(`addPayoutOperation: id must be a GUID, got ${id}`);
	if (state.payouts.has(id.toLowerCase()))
		throw new TypeError(`addPayoutOperation: ${id} already exists`);
	const outcome = input.outcome ?? 'InProcess';
	if (outcome !== 'InProcess' && outcome !== 'Failed') {
		throw new TypeError(`addPayoutOperation: bad outcome ${outcome}`);
	}
	/** @type {PayoutOperation} */
	const op = {
		id,
		amount: input.amount ?? '500.00',
		state: 'Created',
		executions: 0,
		outcome,
		errorMessage: input.errorMessage ?? 'Платеж не прошел в банке',
		recipient: null,
		progress: null,
	};
	state.payouts.set(id.toLowerCase(), op);
	return op;
}

/**
 * A payout operation by its id; GUIDs compare case-insensitively, anything else finds nothing.
 * @param {SandboxState} state @param {string | undefined} id
 */
export function findPayout(state, id) {
	return id !== undefined && GUID_RE.test(id) ? state.payouts.get(id.toLowerCase()) : undefined;
}

/**
 * Ends an InProcess operation by hand.
 * @param {SandboxState} state @param {string} id @param {'Completed' | 'Failed'} outcome
 * @param {string} [errorMessage]
 */
export function settlePayout(state, id, outcome, errorMessage) {
	const op = state.payouts.get(String(id).toLowerCase());
	if (!op) throw new TypeError(`settlePayout: no payout operation ${id}`);
	if (outcome !== 'Completed' && outcome !== 'Failed') {
		throw new TypeError(`settlePayout: state must be Completed or Failed, got ${outcome}`);
	}
	if (op.state !== 'InProcess') {
		throw new TypeError(`settlePayout: ${op.id} is ${op.state}; only an InProcess one settles`);
	}
	op.state = outcome;
	op.progress = null;
	if (errorMessage !== undefined) op.errorMessage = errorMessage;
	return op;
}

/** @param {SandboxState} state @param {string} [token] */
export function issueUserToken(state, token = randomBytes(48).toString('base64')) {
	if (token === '') throw new TypeError('issueUserToken: empty token');
	state.userTokens.set(token, Date.now() + state.settings.userTokenTtlMs);
	return token;
}

/** Whether a user token was issued and has not expired. @param {SandboxState} state @param {string | undefined} token */
export function userTokenValid(state, token) {
	const expiry = token === undefined ? undefined : state.userTokens.get(token);
	return expiry !== undefined && expiry > Date.now();
}

/** The money moved so far, read from the records. @param {SandboxState} state */
export function ledger(state) {
	/** @type {import('./types.mjs').Ledger} */
	const result = { captures: {}, refunds: {}, payoutExecutions: {} };
	for (const inv of state.invoices.values()) {
		result.captures[inv.invoiceId] = inv.captures;
		result.refunds[inv.invoiceId] = inv.refunds;
	}
	for (const op of state.payouts.values()) result.payoutExecutions[op.id] = op.executions;
	return result;
}

/**
 * Waits, unless stop() is called meanwhile.
 * @param {SandboxState} state @param {number} ms
 * @returns {Promise<boolean>}  false = stop() was called during the wait
 */
export async function wait(state, ms) {
	try {
		await delay(ms, undefined, { signal: state.stopSignal });
		return true;
	} catch {
		return false; // stopped while waiting: the socket is being closed anyway
	}
}
