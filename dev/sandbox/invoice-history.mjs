// @ts-check
/**
 * personal/payment/getInvoicesHistory, a read (dev/personal/api/getInvoicesHistory): the shop's
 * invoices as InvoiceData (docs/intellectmoney-api.md §4.1, python-intellectmoney's models), paged
 * with Skip and Take, filtered by InvoiceId and the date ranges, with each invoice's payments
 * (HistoryList) when IncludePaymentTransactions is on.
 */
import { accepted, businessRefusal } from './answers.mjs';
import { userTokenRefusal } from './personal.mjs';
import { imDate, parseImDate } from './wire.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./types.mjs').Invoice} Invoice
 */

/**
 * One payment of an invoice as HistoryData (python-intellectmoney's models: the field names and the
 * words Confirm / Purchase / Refund). The account numbers and the description are the sandbox's own.
 * @param {SandboxState} state @param {Invoice} inv @param {import('./types.mjs').InvoicePayment} payment
 */
function historyData(state, inv, payment) {
	const money = { Amount: Number(payment.amount), Currency: inv.currency };
	const refund = payment.type === 'Refund';
	return {
		Id: payment.id,
		PaymentNumber: payment.id,
		State: payment.state,
		CreationDate: imDate(payment.at),
		PaymentAmount: money,
		RecipientAmount: money,
		PaymentAccount: refund ? state.shop.eshopAccount : (inv.payer?.shortPan ?? ''),
		RecipientAccount: refund ? (inv.payer?.shortPan ?? '') : state.shop.eshopAccount,
		Description: `${refund ? 'Возврат' : 'Оплата'} по СКО ${inv.invoiceId}`,
		InvoicePaymentType: payment.type,
	};
}

/**
 * InvoiceData; the sandbox's states map one to one ('Created', 'Held', 'Paid', 'Refund').
 * @param {SandboxState} state @param {Invoice} inv @param {boolean} withPayments
 * @returns {Record<string, unknown>}
 */
function invoiceData(state, inv, withPayments) {
	const amount = Number(inv.amount);
	return {
		Id: inv.invoiceId,
		State: inv.state,
		EShopId: Number(state.shop.eshopId),
		PurchaseOrderId: inv.orderId,
		Amount: { Amount: amount, Currency: inv.currency },
		// No partial payments or refunds in the sandbox: the current amount is the invoice amount
		// (what IntellectMoney shows after a full refund is not published; kept unchanged).
		CurrentAmount: { Amount: amount, Currency: inv.currency },
		CreationDate: imDate(inv.createdAt),
		ChangeDate: imDate(inv.changedAt),
		...(withPayments ? { HistoryList: inv.payments.map((p) => historyData(state, inv, p)) } : {}),
	};
}

/**
 * The date filters: the field, the invoice's time it bounds, and from (1) or to (-1).
 * @type {Array<[string, 'createdAt' | 'changedAt', 1 | -1]>}
 */
const DATE_BOUNDS = [
	['DateFrom', 'createdAt', 1],
	['DateTo', 'createdAt', -1],
	['ChangeDateFrom', 'changedAt', 1],
	['ChangeDateTo', 'changedAt', -1],
];

/**
 * IncludePaymentTransactions is a bool in python-intellectmoney (sent as `True`); `1` and `0` are
 * taken too. undefined = a value that is neither.
 * @param {string | undefined} text @returns {boolean | undefined}
 */
function flag(text) {
	if (text === undefined) return false;
	const lower = text.toLowerCase();
	if (lower === 'true' || lower === '1') return true;
	if (lower === 'false' || lower === '0') return false;
	return undefined;
}

/**
 * Skip and Take are required (Skip ≥ 0, Take ≥ 1); InvoiceId, DateFrom/DateTo (on the creation
 * date) and ChangeDateFrom/ChangeDateTo filter, bounds included; IsHoldingSearch must be 0 or 1 and
 * changes nothing (python-intellectmoney: WithoutOrganizations / WithOrganizations, a search across a
 * holding's organizations; the sandbox has one); the other optional fields are only signed. The list
 * is in the order the invoices were added. An unknown invoice gives an empty list.
 * @type {import('./routes.mjs').Endpoint}
 */
export const getInvoicesHistory = {
	run(state, f) {
		const refusal = userTokenRefusal(state, f);
		if (refusal) return refusal;
		const eshopId = f('EshopId');
		if (eshopId !== undefined && eshopId !== state.shop.eshopId) {
			return businessRefusal(3, 'Магазин не найден', 'EshopId');
		}
		const skipText = f('Skip');
		const takeText = f('Take');
		if (skipText === undefined || !/^\d{1,9}$/.test(skipText)) {
			return businessRefusal(3, 'Некорректное значение Skip', 'Skip');
		}
		if (takeText === undefined || !/^\d{1,9}$/.test(takeText) || Number(takeText) < 1) {
			return businessRefusal(3, 'Некорректное значение Take', 'Take');
		}
		const invoiceId = f('InvoiceId');
		if (invoiceId !== undefined && !/^\d{1,19}$/.test(invoiceId)) {
			return businessRefusal(3, 'Некорректный номер СКО', 'InvoiceId');
		}
		const holdingSearch = f('IsHoldingSearch');
		if (holdingSearch !== undefined && holdingSearch !== '0' && holdingSearch !== '1') {
			return businessRefusal(3, 'Некорректное значение IsHoldingSearch', 'IsHoldingSearch');
		}
		const withPayments = flag(f('IncludePaymentTransactions'));
		if (withPayments === undefined) {
			return businessRefusal(
				3,
				'Некорректное значение IncludePaymentTransactions',
				'IncludePaymentTransactions',
			);
		}
		/** @type {Array<(inv: Invoice) => boolean>} */
		const filters = [];
		if (invoiceId !== undefined) filters.push((inv) => inv.invoiceId === invoiceId);
		for (const [param, key, direction] of DATE_BOUNDS) {
			const text = f(param);
			if (text === undefined) continue;
			const bound = parseImDate(text);
			if (bound === undefined) return businessRefusal(3, 'Некорректная дата', param);
			// Whole seconds, as the dates are written: DateTo '… 12:00:00' includes 12:00:00.999.
			filters.push((inv) => {
				const at = Math.floor(inv[key] / 1000) * 1000;
				return direction === 1 ? at >= bound : at <= bound;
			});
		}
		const skip = Number(skipText);
		const list = [...state.invoices.values()]
			.filter((inv) => filters.every((keep) => keep(inv)))
			.slice(skip, skip + Number(takeText))
			.map((inv) => invoiceData(state, inv, withPayments));
		return accepted({ State: { Code: 0, Desc: 'Успешно обработан' }, InvoicesHistoryList: list });
	},
};
