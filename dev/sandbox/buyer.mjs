// @ts-check
/**
 * The buyer: pays a Created invoice, which is then Held when it was created with HoldMode=1,
 * otherwise Paid, and notified (notifications.mjs). Reached by `payInvoice`, and on a running
 * sandbox by `POST /sandbox/pay` (BUYER_PAYS), the sandbox's own endpoint, not IntellectMoney's.
 */
import { PAYMENT_STATUS, changeInvoiceState } from './notifications.mjs';
import { findInvoice, recordPayment } from './state.mjs';
import { parseImDate } from './wire.mjs';

/**
 * @param {import('./state.mjs').SandboxState} state
 * @param {string} idOrOrder  InvoiceId or OrderId
 * @param {import('./types.mjs').PayerInfo} [payer]
 * @returns {import('./types.mjs').Invoice}
 */
export function payInvoice(state, idOrOrder, payer = {}) {
	const inv = findInvoice(state, idOrOrder);
	if (!inv) throw new TypeError(`payInvoice: no invoice ${idOrOrder}`);
	if (inv.state !== 'Created') {
		throw new TypeError(`payInvoice: invoice ${inv.invoiceId} is ${inv.state}, not Created`);
	}
	const expiry = inv.expireDate === '' ? undefined : parseImDate(inv.expireDate);
	if (expiry !== undefined && expiry <= Date.now()) {
		throw new TypeError(`payInvoice: invoice ${inv.invoiceId} expired at ${inv.expireDate}`);
	}
	// The buyer's details are the sandbox's own defaults (no value list is published).
	inv.payer = {
		payMethod: 'BankCard',
		shortPan: '411111******1111',
		country: 'RU',
		bank: 'Sandbox Bank',
		ipAddress: '127.0.0.1',
		...payer,
	};
	recordPayment(state, inv, 'Purchase');
	if (inv.holdMode) changeInvoiceState(state, inv, 'Held', PAYMENT_STATUS.held);
	else changeInvoiceState(state, inv, 'Paid', PAYMENT_STATUS.paid);
	return inv;
}

/**
 * `POST /sandbox/pay` with `orderId` or `invoiceId` (`npm start`, `npm run sandbox`): pays the
 * invoice as payInvoice does, so its notification goes out. Not in the request log.
 * @param {import('./state.mjs').SandboxState} state
 * @param {import('node:http').ServerResponse} res
 * @param {import('./recipes.mjs').FieldReader} f
 */
export function payAsBuyer(state, res, f) {
	const id = f('invoiceId') ?? f('orderId') ?? '';
	/** @type {[number, Record<string, unknown>]} */
	let answer;
	try {
		const inv = payInvoice(state, id);
		answer = [200, { invoiceId: inv.invoiceId, orderId: inv.orderId, state: inv.state }];
	} catch (error) {
		answer = [409, { error: error instanceof Error ? error.message : String(error) }];
	}
	res.writeHead(answer[0], { 'content-type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(answer[1]));
}
