// @ts-check
/**
 * The merchant API's invoice endpoints: createInvoice, purchaseToPaid (capture) and
 * purchaseToRefund (release, cancel, refund).
 *
 * Invoice lifecycle (docs/intellectmoney-api.md §2.1, §4.1; InvoiceData state names from
 * python-intellectmoney of satels):
 *   createInvoice → Created ─ payInvoice ─→ Held (HoldMode=1) ─ purchaseToPaid ─→ Paid
 *                                        └→ Paid (HoldMode=0)
 *   purchaseToRefund: Held → Refund (hold released), Created → Refund (cancelled), Paid → Refund
 *   (refunded). `Refund` is the only documented state name for all three (§4.1); full amount only
 *   (the partial-refund field is not published, §7 Q5).
 */
import { accepted, businessRefusal } from './answers.mjs';
import { createInvoiceFieldRefusal } from './invoice-fields.mjs';
import { PAYMENT_STATUS, changeInvoiceState, notify } from './notifications.mjs';
import { INVOICE_ID_RE, addInvoice, invoiceByOrder, recordPayment } from './state.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./recipes.mjs').FieldReader} FieldReader
 * @typedef {import('./answers.mjs').Answer} Answer
 * @typedef {import('./types.mjs').Invoice} Invoice
 */

/**
 * The invoice a purchaseToPaid / purchaseToRefund names by InvoiceId or OrderId
 * (docs/intellectmoney-api.md §7 Q2), or the refusal to answer with.
 * @param {SandboxState} state
 * @param {FieldReader} f
 * @returns {{ invoice: Invoice, idParam: string } | { refusal: Answer }}  idParam: the identifier the
 *   invoice was found by, named in later refusals
 */
function purchaseInvoice(state, f) {
	if (f('EshopId') !== state.shop.eshopId) {
		return { refusal: businessRefusal(3, 'Магазин не найден', 'EshopId') };
	}
	const invoiceId = f('InvoiceId');
	const orderId = f('OrderId');
	if (invoiceId !== undefined) {
		if (!INVOICE_ID_RE.test(invoiceId)) {
			return { refusal: businessRefusal(3, 'Некорректный номер СКО', 'InvoiceId') };
		}
		const invoice = state.invoices.get(invoiceId);
		if (!invoice) return { refusal: businessRefusal(4, 'СКО не найден', 'InvoiceId') };
		if (orderId !== undefined && invoice.orderId !== orderId) {
			return { refusal: businessRefusal(4, 'СКО с таким номером покупки не найден', 'OrderId') };
		}
		return { invoice, idParam: 'InvoiceId' };
	}
	if (orderId !== undefined) {
		const invoice = invoiceByOrder(state, orderId);
		if (!invoice) return { refusal: businessRefusal(4, 'СКО не найден', 'OrderId') };
		return { invoice, idParam: 'OrderId' };
	}
	return { refusal: businessRefusal(3, 'Не указан номер покупки или СКО', 'OrderId') };
}

/**
 * MerchantReceipt travels as a JSON string (docs/intellectmoney-api.md §6); validated before
 * anything changes.
 * @param {FieldReader} f
 * @returns {{ receipt: Record<string, unknown> | null } | { refusal: Answer }}
 */
function merchantReceipt(f) {
	const receiptText = f('MerchantReceipt');
	if (receiptText === undefined) return { receipt: null };
	try {
		const parsed = JSON.parse(receiptText);
		if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
			return { receipt: parsed };
		}
	} catch {
		// refused below
	}
	return { refusal: businessRefusal(7, 'Некорректный чек', 'MerchantReceipt') };
}

/**
 * The answer of a capture or refund that took effect: the shape of purchaseToPaid's
 * (PurchaseActionData is unpublished, docs/intellectmoney-api.md §4.1).
 * @param {Invoice} invoice @param {import('./types.mjs').StateInfo} resultState
 */
const purchaseActionData = (invoice, resultState) =>
	accepted({
		State: resultState,
		InvoiceId: invoice.invoiceId,
		OrderId: invoice.orderId,
		InvoiceState: invoice.state,
	});

/**
 * merchant/purchaseToPaid (seeds/004): captures a held invoice once.
 * @type {import('./routes.mjs').Endpoint}
 */
export const purchaseToPaid = {
	run(state, f) {
		const found = purchaseInvoice(state, f);
		if ('refusal' in found) return found.refusal;
		const { invoice, idParam } = found;
		if (invoice.state === 'Paid')
			return businessRefusal(5, 'Средства по СКО уже зачислены', idParam);
		if (invoice.state === 'Created') return businessRefusal(6, 'СКО не захолдирован', idParam);
		if (invoice.state === 'Refund') {
			return businessRefusal(8, 'СКО отменён, средства возвращены плательщику', idParam);
		}
		const checked = merchantReceipt(f);
		if ('refusal' in checked) return checked.refusal;
		invoice.captures += 1;
		if (checked.receipt) invoice.receipt = checked.receipt;
		changeInvoiceState(state, invoice, 'Paid', PAYMENT_STATUS.paid);
		if (invoice.outcome === 'queued') {
			// docs/intellectmoney-api.md §4: OperationState 1 = queued; the client must ask again later.
			// The capture has happened, so a retry meets "already paid" (code 5).
			return {
				op: { Code: 1, Desc: 'Запрос поставлен в очередь на обработку' },
				result: null,
				accepted: true,
			};
		}
		return purchaseActionData(
			invoice,
			invoice.outcome === 'warning'
				? { Code: 1, Desc: 'Успешно, с предупреждением: чек не передан в ОФД' }
				: { Code: 0, Desc: 'Успешно обработан' },
		);
	},
};

/**
 * merchant/purchaseToRefund (dev/merchant/api/purchaseToRefund). It releases a held invoice, cancels
 * a created one, refunds a paid one (the page's use cases); all three end in `Refund`.
 * @type {import('./routes.mjs').Endpoint}
 */
export const purchaseToRefund = {
	run(state, f) {
		const found = purchaseInvoice(state, f);
		if ('refusal' in found) return found.refusal;
		const { invoice, idParam } = found;
		if (invoice.state === 'Refund') {
			return businessRefusal(5, 'По СКО уже выполнен возврат', idParam);
		}
		const checked = merchantReceipt(f);
		if ('refusal' in checked) return checked.refusal;
		const before = invoice.state;
		invoice.refunds += 1;
		// A created invoice took no money; a held or paid one gives it back.
		if (before !== 'Created') {
			invoice.refundAmount = invoice.amount;
			recordPayment(state, invoice, 'Refund');
		}
		if (checked.receipt) invoice.receipt = checked.receipt;
		const status = before === 'Paid' ? PAYMENT_STATUS.refunded : PAYMENT_STATUS.cancelled;
		changeInvoiceState(state, invoice, 'Refund', status);
		return purchaseActionData(invoice, { Code: 0, Desc: 'Успешно обработан' });
	},
};

/**
 * merchant/createInvoice (dev/merchant/api/createInvoice). With RecipientCurrency TST, Authorization
 * and Sign may be left out (dev/info/access); when sent they are checked. A wrong PurchaseHash is
 * named as such (the purchase* endpoints say Hash).
 * @type {import('./routes.mjs').Endpoint}
 */
export const createInvoice = {
	credentialsOptional: (f) => f('RecipientCurrency') === 'TST',
	namesPurchaseHash: true,
	run(state, f) {
		const refusal = createInvoiceFieldRefusal(state, f);
		if (refusal) return refusal;
		const checked = merchantReceipt(f);
		if ('refusal' in checked) return checked.refusal;
		const orderId = /** @type {string} */ (f('OrderId'));
		// The shop option "Принимать только уникальный номер покупки" is on by default (seeds/004,
		// OrderId): the sandbox's shop keeps it on, so an order number is used once.
		if (invoiceByOrder(state, orderId)) {
			return businessRefusal(5, 'Счёт с таким номером покупки уже создан', 'OrderId');
		}
		const holdTime = f('HoldTime');
		const invoice = addInvoice(state, {
			orderId,
			amount: f('RecipientAmount'),
			currency: f('RecipientCurrency'),
			state: 'Created',
			serviceName: f('ServiceName') ?? '',
			userName: f('UserName') ?? '',
			email: f('Email') ?? '',
			resultUrl: f('ResultUrl') ?? '',
			holdMode: f('HoldMode') === '1',
			holdTime: holdTime === undefined ? null : Number(holdTime),
			expireDate: f('ExpireDate') ?? '',
		});
		invoice.preference = f('Preference') ?? '';
		invoice.receipt = checked.receipt;
		notify(state, invoice, PAYMENT_STATUS.created);
		return accepted({
			State: { Code: 0, Desc: 'Успешно обработан' },
			InvoiceId: invoice.invoiceId,
		});
	},
};
