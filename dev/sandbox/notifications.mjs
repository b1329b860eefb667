// @ts-check
/**
 * IntellectMoney's Result URL notifications (docs/intellectmoney-api.md §5), as the sandbox sends
 * them. On every state change of an invoice (creation included) whose ResultUrl was given in
 * createInvoice, or, failing that, when the shop has a `resultUrl`, the sandbox POSTs
 * IntellectMoney's form (application/x-www-form-urlencoded, UTF-8, camelCase names, md5 `hash` of
 * recipes.mjs `notificationHashString`). paymentStatus: 3 created, 5 paid, 6 held, 4 cancelled or
 * hold released, 8 refunded after payment (7 partially paid is never produced here; sendNotification
 * can send it). A delivery counts as received only when answered HTTP 200 with the body exactly `OK`
 * (dev/info/notification); otherwise it is retried `notificationRetries` times (default 2) after
 * `notificationRetryDelayMs` (default 200) — a SANDBOX CHOICE: IntellectMoney's retry policy is not
 * published (docs/intellectmoney-api.md §7 Q6). Deliveries go out one at a time, in the order of the
 * state changes. Real Result URLs must be https (wiki/15433808); the sandbox also posts to http, for
 * local receivers, and ONLY to loopback hosts (a URL elsewhere is logged as not posted, never
 * retried): no test or demo reaches the internet. Every attempt is logged in `notifications`.
 * For load tests, `notificationFor` builds an invoice's notification without sending it and
 * `deliverNotification` delivers given fields with the same retries, at once, many at a time.
 */
import { NotPostedError, formEncode, postForm } from './notification-post.mjs';
import { notificationHash } from './recipes.mjs';
import { findInvoice, wait } from './state.mjs';
import { headerValue, imDate } from './wire.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./types.mjs').Invoice} Invoice
 * @typedef {import('./types.mjs').NotificationEntry} NotificationEntry
 */

/** Notification paymentStatus codes (docs/intellectmoney-api.md §5). */
export const PAYMENT_STATUS = Object.freeze({
	created: 3,
	cancelled: 4,
	paid: 5,
	held: 6,
	partiallyPaid: 7,
	refunded: 8,
});

/** @param {SandboxState} state @param {NotificationEntry} entry */
function recordNotification(state, entry) {
	const { entries, waiters } = state.notifications;
	entries.push(entry);
	for (const waiter of [...waiters]) {
		let matches = false;
		try {
			matches = waiter.predicate(entry);
		} catch (err) {
			waiters.delete(waiter);
			clearTimeout(waiter.timer);
			waiter.reject(err instanceof Error ? err : new Error(String(err)));
			continue;
		}
		if (matches) {
			waiters.delete(waiter);
			clearTimeout(waiter.timer);
			waiter.resolve(entry);
		}
	}
}

/**
 * The first logged attempt, already there or still to come, that the predicate accepts.
 * @param {SandboxState} state
 * @param {(entry: NotificationEntry) => boolean} predicate
 * @param {number} [timeoutMs]
 * @returns {Promise<NotificationEntry>}
 */
export function waitForNotification(state, predicate, timeoutMs = 5000) {
	const { entries, waiters } = state.notifications;
	/** @type {NotificationEntry | undefined} */
	let found;
	try {
		found = entries.find(predicate);
	} catch (err) {
		return Promise.reject(err);
	}
	if (found) return Promise.resolve(found);
	if (state.stopSignal.aborted) return Promise.reject(new Error('sandbox stopped'));
	return new Promise((resolve, reject) => {
		/** @type {import('./state.mjs').NotificationWaiter} */
		const waiter = {
			predicate,
			resolve,
			reject,
			timer: setTimeout(() => {
				waiters.delete(waiter);
				const seen = entries
					.map((e) => `${e.url} status ${e.fields.paymentStatus} → ${e.status ?? e.error}`)
					.join('; ');
				reject(
					new Error(`no matching notification within ${timeoutMs} ms; seen: ${seen || 'none'}`),
				);
			}, timeoutMs),
		};
		waiters.add(waiter);
	});
}

/** Rejects every waitForNotification still waiting (stop()). @param {SandboxState} state */
export function rejectNotificationWaiters(state) {
	for (const waiter of state.notifications.waiters) {
		clearTimeout(waiter.timer);
		waiter.reject(new Error('sandbox stopped'));
	}
	state.notifications.waiters.clear();
}

/**
 * The notification of an invoice (docs/intellectmoney-api.md §5), hashed with the shop SecretKey.
 * @param {SandboxState} state
 * @param {Invoice} inv
 * @param {number} paymentStatus
 * @param {number} at  epoch ms, written as paymentData (Moscow time, like every IntellectMoney date)
 * @returns {Record<string, string>}
 */
export function notificationFields(state, inv, paymentStatus, at) {
	const { shop } = state;
	/** @type {import('./types.mjs').PayerInfo} */
	const payer = inv.payer ?? {};
	/** @type {Record<string, string>} */
	const fields = {
		eshopId: shop.eshopId,
		paymentId: inv.invoiceId,
		orderId: inv.orderId,
		eshopAccount: shop.eshopAccount,
		serviceName: inv.serviceName,
		recipientAmount: inv.amount,
		// No commission or partial payment in the sandbox: the original amount is the amount.
		recipientOriginalAmount: inv.amount,
		refundAmount: inv.refundAmount,
		recipientCurrency: inv.currency,
		paymentStatus: String(paymentStatus),
		userName: payer.userName ?? inv.userName,
		userEmail: payer.userEmail ?? inv.email,
		paymentData: imDate(at),
		payMethod: payer.payMethod ?? '',
		shortPan: payer.shortPan ?? '',
		country: payer.country ?? '',
		bank: payer.bank ?? '',
		ipAddress: payer.ipAddress ?? '',
		// Only filled in the shop's "send secret key" mode (docs/intellectmoney-api.md §5), not imitated.
		secretKey: '',
	};
	return { ...fields, hash: notificationHash(fields, shop.shopSecretKey) };
}

/**
 * One POST of a notification, logged whatever happens.
 * @param {SandboxState} state
 * @param {string} url
 * @param {string} body
 * @param {Record<string, string>} fields
 * @param {Pick<NotificationEntry, 'source' | 'attempt' | 'forge' | 'invoiceId'>} meta
 * @returns {Promise<{ entry: NotificationEntry, response?: import('./types.mjs').NotificationResponse, error?: Error }>}
 */
export async function postNotification(state, url, body, fields, meta) {
	const base = { seq: ++state.notifications.seq, ...meta, url, fields, body };
	state.notifications.last = { body, fields };
	try {
		const res = await postForm(url, body, {
			timeoutMs: state.settings.notificationTimeoutMs,
			signal: state.stopSignal,
		});
		/** @type {NotificationEntry} */
		const entry = {
			...base,
			status: res.status,
			responseBody: res.body,
			responseContentType: headerValue(res.headers, 'content-type') ?? '',
			error: null,
			// dev/info/notification: received = HTTP 200 and the body exactly "OK".
			ok: res.status === 200 && res.body === 'OK',
		};
		recordNotification(state, entry);
		return { entry, response: res };
	} catch (err) {
		const error = err instanceof Error ? err : new Error(String(err));
		/** @type {NotificationEntry} */
		const entry = {
			...base,
			status: null,
			responseBody: '',
			responseContentType: '',
			error: state.stopSignal.aborted ? 'sandbox stopped' : error.message,
			ok: false,
		};
		recordNotification(state, entry);
		return { entry, error };
	}
}

/**
 * Delivers one notification, retrying while the receiver does not take it (header comment).
 * @param {SandboxState} state
 * @param {string} url @param {string} body @param {Record<string, string>} fields
 * @param {string | null} invoiceId
 * @returns {Promise<NotificationEntry | undefined>}  the last attempt (undefined: stopped first)
 */
async function deliver(state, url, body, fields, invoiceId) {
	const { notificationRetries, notificationRetryDelayMs } = state.settings;
	/** @type {NotificationEntry | undefined} */
	let last;
	for (let attempt = 1; attempt <= 1 + notificationRetries; attempt++) {
		if (state.stopSignal.aborted) return last;
		if (attempt > 1 && !(await wait(state, notificationRetryDelayMs))) return last;
		const meta = { source: /** @type {const} */ ('delivery'), attempt, forge: null, invoiceId };
		const { entry, error } = await postNotification(state, url, body, fields, meta);
		last = entry;
		if (entry.ok || error instanceof NotPostedError) return last;
	}
	return last;
}

/**
 * The signed notification of an invoice as IntellectMoney would send it now (paymentData = now), by
 * default for its last state change; sends nothing.
 * @param {SandboxState} state @param {string} idOrOrder @param {number} [paymentStatus]
 */
export function notificationFor(state, idOrOrder, paymentStatus) {
	const inv = findInvoice(state, idOrOrder);
	if (!inv) throw new TypeError(`notificationFor: no invoice ${idOrOrder}`);
	return notificationFields(state, inv, paymentStatus ?? inv.paymentStatus, Date.now());
}

/**
 * One delivery of these fields (sent as given; `hash` filled in when absent) with the retry policy,
 * started at once beside the state-change deliveries, so a load test can run many at the same time.
 * @param {SandboxState} state @param {string} url @param {Record<string, string>} given
 */
export function deliverNotification(state, url, given) {
	const fields = { ...given };
	if (!('hash' in fields)) fields.hash = notificationHash(fields, state.shop.shopSecretKey);
	const invoiceId = state.invoices.has(fields.paymentId ?? '') ? fields.paymentId : null;
	return deliver(state, url, formEncode(fields, 'utf8'), fields, invoiceId);
}

/**
 * Records the paymentStatus of an invoice's change and queues its notification, built now (its
 * paymentData is the time of the change), when the invoice or the shop has a Result URL.
 * @param {SandboxState} state
 * @param {Invoice} inv
 * @param {number} paymentStatus
 */
export function notify(state, inv, paymentStatus) {
	inv.paymentStatus = paymentStatus;
	// docs/intellectmoney-api.md §5: the invoice's ResultUrl overrides the shop's Result URL.
	const url = inv.resultUrl || state.shop.resultUrl;
	if (!url) return;
	const fields = notificationFields(state, inv, paymentStatus, Date.now());
	const body = formEncode(fields, 'utf8');
	state.notifications.queue = state.notifications.queue.then(() =>
		deliver(state, url, body, fields, inv.invoiceId).then(
			() => undefined,
			() => undefined,
		),
	);
}

/**
 * An invoice's state change, and its notification.
 * @param {SandboxState} state
 * @param {Invoice} inv
 * @param {import('./types.mjs').InvoiceState} invoiceState
 * @param {number} paymentStatus
 */
export function changeInvoiceState(state, inv, invoiceState, paymentStatus) {
	inv.state = invoiceState;
	inv.changedAt = Date.now();
	notify(state, inv, paymentStatus);
}
