// @ts-check
/**
 * The Personal API: getUserToken, which issues the user token that every personal/payment/* and
 * personal/payout/* request carries (15 minutes by default), and the read getInvoicesHistory.
 */
import { accepted, authRefusal, businessRefusal } from './answers.mjs';
import { issueUserToken, userTokenValid } from './state.mjs';
import { imDate, parseImDate } from './wire.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./recipes.mjs').FieldReader} FieldReader
 * @typedef {import('./types.mjs').Invoice} Invoice
 */

/**
 * The UserToken check of the Personal and Payout APIs. docs/intellectmoney-api.md §1: UserToken
 * expires; the Personal API reports auth failures as code 2 (§4).
 * @param {SandboxState} state
 * @param {FieldReader} f
 * @returns {import('./answers.mjs').Answer | undefined}  undefined = the token is valid
 */
export function userTokenRefusal(state, f) {
	if (userTokenValid(state, f('UserToken'))) return undefined;
	return authRefusal('Токен пользователя недействителен или истёк', 'UserToken');
}

/**
 * personal/user/getUserToken.
 * @type {import('./routes.mjs').Endpoint}
 */
export const getUserToken = {
	run(state, f) {
		if (f('Login') !== state.shop.login || f('Password') !== state.shop.password) {
			return authRefusal('Неверный логин или пароль', 'Login');
		}
		return accepted({ State: { Code: 0, Desc: 'Успешно' }, UserToken: issueUserToken(state) });
	},
};

/**
 * InvoiceData of the Personal API (docs/intellectmoney-api.md §4.1, python-intellectmoney's models);
 * the sandbox's states map one to one ('Created', 'Held', 'Paid', 'Refund').
 * @param {SandboxState} state
 * @param {Invoice} inv
 * @returns {Record<string, unknown>}
 */
function invoiceData(state, inv) {
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
 * personal/payment/getInvoicesHistory, a read (dev/personal/api/getInvoicesHistory). Skip and Take
 * are required (Skip ≥ 0, Take ≥ 1); InvoiceId, DateFrom/DateTo (on the creation date) and
 * ChangeDateFrom/ChangeDateTo filter, bounds included; the other optional fields are only signed.
 * The list is in the order the invoices were added. An unknown invoice gives an empty list.
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
			.map((inv) => invoiceData(state, inv));
		return accepted({ State: { Code: 0, Desc: 'Успешно обработан' }, InvoicesHistoryList: list });
	},
};
