// @ts-check
/**
 * sendNotification: one notification POSTed to any URL, no retry, logged as 'manual', optionally
 * forged to test a receiver (types.mjs `Sandbox.sendNotification` lists the forges).
 */
import { NOTIFICATION_FORGES } from './constants.mjs';
import { formEncode } from './notification-post.mjs';
import { notificationFields, postNotification } from './notifications.mjs';
import { notificationHash } from './recipes.mjs';
import { findInvoice } from './state.mjs';

/**
 * @param {import('./state.mjs').SandboxState} state
 * @param {string} url
 * @param {import('./types.mjs').NotificationSpec} [what]
 * @param {{ forge?: import('./types.mjs').NotificationForge, field?: string, eshopId?: string }} [how]
 * @returns {Promise<import('./types.mjs').NotificationResponse>}
 */
export async function sendNotification(state, url, what, how = {}) {
	const { shop } = state;
	const forge = how.forge ?? null;
	if (forge !== null && !NOTIFICATION_FORGES.includes(forge)) {
		throw new TypeError(`sendNotification: unknown forge ${String(forge)}`);
	}
	/** @type {string} */
	let body;
	/** @type {Record<string, string>} */
	let fields;
	/** @type {string | null} */
	let invoiceId = null;
	if (forge === 'replay') {
		const last = state.notifications.last;
		if (!last) throw new TypeError('sendNotification: no notification to replay yet');
		({ body, fields } = last);
	} else {
		if (what === undefined || what === null || typeof what !== 'object') {
			throw new TypeError('sendNotification: give { invoiceId, paymentStatus? } or the fields');
		}
		if ('invoiceId' in what) {
			const inv = findInvoice(state, String(what.invoiceId));
			if (!inv) throw new TypeError(`sendNotification: no invoice ${what.invoiceId}`);
			const status =
				what.paymentStatus === undefined ? inv.paymentStatus : Number(what.paymentStatus);
			if (!Number.isInteger(status)) {
				throw new TypeError(`sendNotification: bad paymentStatus ${what.paymentStatus}`);
			}
			fields = notificationFields(state, inv, status, Date.now());
			invoiceId = inv.invoiceId;
		} else {
			fields = { ...what };
			if (!('hash' in fields)) fields.hash = notificationHash(fields, shop.shopSecretKey);
		}
		if (forge === 'hash') {
			// The classic mix-up (docs/intellectmoney-api.md §3 pitfalls): hashed with the Sign key.
			const wrongKey =
				shop.signSecretKey === shop.shopSecretKey
					? `${shop.signSecretKey}-wrong`
					: shop.signSecretKey;
			fields.hash = notificationHash(fields, wrongKey);
		} else if (forge === 'otherShop') {
			fields.eshopId = how.eshopId ?? String(Number(shop.eshopId) + 1);
			fields.hash = notificationHash(fields, shop.shopSecretKey);
		} else if (forge === 'missingField') {
			const field = how.field ?? 'hash';
			if (!(field in fields)) throw new TypeError(`sendNotification: no field ${field} to drop`);
			delete fields[field];
		}
		body = formEncode(fields, forge === 'cp1251' ? 'cp1251' : 'utf8');
	}
	const meta = { source: /** @type {const} */ ('manual'), attempt: 1, forge, invoiceId };
	const { response, error } = await postNotification(state, url, body, fields, meta);
	if (!response) throw error ?? new Error('sendNotification: no answer');
	return response;
}
