// @ts-check
/**
 * The field checks of createInvoice (docs/intellectmoney-api.md §2.1 body fields), first failure
 * only; each refusal is Result.State.Code 3 naming the field.
 */
import { businessRefusal } from './answers.mjs';
import { AMOUNT_RE, parseImDate } from './wire.mjs';

/** RecipientCurrency values (dev/merchant/api/createInvoice). */
const INVOICE_CURRENCIES = ['RUB', 'RUR', 'TST', 'USD', 'EUR'];

/** Length in characters (code points), not UTF-16 units: the documented limits count characters. */
/** @param {string} s */
function charLength(s) {
	return [...s].length;
}

/**
 * @param {import('./state.mjs').SandboxState} state
 * @param {import('./recipes.mjs').FieldReader} f
 * @returns {import('./answers.mjs').Answer | undefined}
 */
export function createInvoiceFieldRefusal(state, f) {
	/** @param {string} param @param {string} desc */
	const bad = (param, desc) => businessRefusal(3, desc, param);
	if (f('EshopId') !== state.shop.eshopId) return bad('EshopId', 'Магазин не найден');
	const orderId = f('OrderId');
	// Required here: the sandbox finds invoices and notifies by it (the page's required marks are cut).
	if (orderId === undefined) return bad('OrderId', 'Не указан номер покупки');
	if (charLength(orderId) > 50) return bad('OrderId', 'Номер покупки длиннее 50 символов');
	if (charLength(f('ServiceName') ?? '') > 1024) {
		return bad('ServiceName', 'Описание покупки длиннее 1024 символов');
	}
	const amount = f('RecipientAmount');
	// Minimum 1.00 (dev/protocol/html/createInvoice; wiki/160333899 says 10.00:
	// docs/intellectmoney-api.md §7 Q9).
	if (amount === undefined || !AMOUNT_RE.test(amount) || Number(amount) < 1) {
		return bad('RecipientAmount', 'Сумма: число с двумя знаками после точки, не меньше 1.00');
	}
	const currency = f('RecipientCurrency');
	if (currency === undefined || !INVOICE_CURRENCIES.includes(currency)) {
		return bad('RecipientCurrency', `Валюта: одна из ${INVOICE_CURRENCIES.join(', ')}`);
	}
	if (charLength(f('UserName') ?? '') > 255) return bad('UserName', 'Имя длиннее 255 символов');
	if (charLength(f('Email') ?? '') > 100) return bad('Email', 'E-mail длиннее 100 символов');
	for (const param of ['SuccessUrl', 'FailUrl', 'BackUrl', 'ResultUrl']) {
		if (charLength(f(param) ?? '') > 512) return bad(param, 'Адрес длиннее 512 символов');
	}
	const expireDate = f('ExpireDate');
	if (expireDate !== undefined) {
		const expiry = parseImDate(expireDate);
		if (expiry === undefined) return bad('ExpireDate', 'Дата: формат yyyy-MM-dd HH:mm:ss');
		if (expiry <= Date.now()) return bad('ExpireDate', 'Срок оплаты уже прошёл');
	}
	const holdMode = f('HoldMode') ?? '0'; // absent = 0 (docs/intellectmoney-api.md §2.1: 1/0)
	if (holdMode !== '0' && holdMode !== '1') return bad('HoldMode', 'HoldMode: 1 или 0');
	const holdTime = f('HoldTime');
	// The official PHP SDK's CreateInvoiceDataModel (docs/intellectmoney-api.md §2.1): hours, 0 to 119.
	if (holdTime !== undefined && (!/^\d{1,3}$/.test(holdTime) || Number(holdTime) > 119)) {
		return bad('HoldTime', 'HoldTime: целое число часов от 0 до 119');
	}
	// wiki/4849803 and the SDK: a hold needs both ExpireDate and HoldTime.
	if (holdMode === '1') {
		if (expireDate === undefined) return bad('ExpireDate', 'Для холдирования нужен ExpireDate');
		if (holdTime === undefined) return bad('HoldTime', 'Для холдирования нужен HoldTime');
	}
	return undefined;
}
