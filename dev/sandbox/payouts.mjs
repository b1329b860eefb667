// @ts-check
/**
 * The Payout API: createOperation, executeOperation and the read getOperationState.
 *
 * Payout progress. IntellectMoney publishes only the states `InProcess` and `Failed`
 * (docs/intellectmoney-api.md §4.1, seeds/000). An operation made with createOperation is `Created`;
 * executeOperation makes it `InProcess`; the first `payoutSettleAfterReads` (default 2)
 * getOperationState reads after that still answer `InProcess` and the next one its final state:
 * `Failed` with an ErrorMessage when the recipient name is FAILING_RECIPIENT_NAME or the card is
 * FAILING_PAYOUT_PAN, otherwise `Completed` — a SANDBOX INVENTION (the name of IntellectMoney's
 * success state is not published). `settlePayout` settles one by hand. Operations added with
 * addPayoutOperation keep their fixed outcome and never settle by reads.
 */
import { randomUUID } from 'node:crypto';

import { accepted, businessRefusal } from './answers.mjs';
import { FAILING_PAYOUT_PAN, FAILING_RECIPIENT_NAME } from './constants.mjs';
import { userTokenRefusal } from './personal.mjs';
import { findPayout } from './state.mjs';
import { AMOUNT_RE } from './wire.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./recipes.mjs').FieldReader} FieldReader
 * @typedef {import('./answers.mjs').Answer} Answer
 * @typedef {import('./types.mjs').PayoutOperation} PayoutOperation
 */

// docs/intellectmoney-api.md §2.3: an SBP payout goes to the recipient's phone; Russian numbers, 7
// and ten digits.
const SBP_PHONE_RE = /^7\d{10}$/;

/**
 * Luhn check digit test of a card number (digits only).
 * @param {string} digits
 */
function luhnValid(digits) {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

/**
 * PayoutOperationData, shape exactly as the two JSON examples in seeds/000.
 * @param {PayoutOperation} op
 * @returns {Answer}
 */
function payoutOperationData(op) {
	/** @type {Record<string, unknown>} */
	const result = {
		State: { Code: 0, Desc: 'Успешно обработан' },
		PayoutOperationId: op.id,
		PayoutOperationState: op.state,
	};
	if (op.state === 'Failed') result.ErrorMessage = op.errorMessage;
	return accepted(result);
}

/**
 * The payout operation a request names, or the refusal to answer it with (bad token, unknown id).
 * @param {SandboxState} state
 * @param {FieldReader} f
 * @returns {{ op: PayoutOperation } | { refusal: Answer }}
 */
function payoutOrRefusal(state, f) {
	const refusal = userTokenRefusal(state, f);
	if (refusal) return { refusal };
	const op = findPayout(state, f('PayoutOperationId'));
	if (!op)
		return { refusal: businessRefusal(4, 'Операция выплаты не найдена', 'PayoutOperationId') };
	return { op };
}

/**
 * The recipient fields of createOperation, or the refusal of the first bad one. Card payouts need a
 * Luhn-valid Pan of 13–19 digits; SBP payouts the recipient's phone as Account and a BankId. A field
 * of the other kind is refused (Pan is "only for OutBankCard"; Account/BankId with a card likewise,
 * a sandbox choice that keeps clients from sending what they do not mean).
 * @param {SandboxState} state
 * @param {FieldReader} f
 * @returns {{ recipient: import('./types.mjs').PayoutRecipient, amount: string } | { refusal: Answer }}
 */
function payoutRequest(state, f) {
	/** @param {string} param @param {string} desc */
	const bad = (param, desc) => ({ refusal: businessRefusal(3, desc, param) });
	const eshopId = f('EshopId');
	if (eshopId !== undefined && eshopId !== state.shop.eshopId)
		return bad('EshopId', 'Магазин не найден');
	const preferenceType = f('PreferenceType');
	if (preferenceType !== 'OutBankCard' && preferenceType !== 'OutSbp') {
		return bad('PreferenceType', 'Способ выплаты: OutBankCard или OutSbp');
	}
	const pan = f('Pan');
	const account = f('Account');
	const bankId = f('BankId');
	if (preferenceType === 'OutBankCard') {
		if (pan === undefined || !/^\d{13,19}$/.test(pan) || !luhnValid(pan)) {
			return bad('Pan', 'Некорректный номер карты');
		}
		if (account !== undefined) return bad('Account', 'Account только для выплаты по СБП');
		if (bankId !== undefined) return bad('BankId', 'BankId только для выплаты по СБП');
	} else {
		if (pan !== undefined) return bad('Pan', 'Pan только для выплаты на карту');
		if (account === undefined || !SBP_PHONE_RE.test(account)) {
			return bad('Account', 'Телефон получателя: 7 и десять цифр');
		}
		if (bankId === undefined) return bad('BankId', 'Не указан банк получателя');
	}
	const amount = f('Amount');
	if (amount === undefined || !AMOUNT_RE.test(amount) || Number(amount) <= 0) {
		return bad('Amount', 'Сумма: число с двумя знаками после точки, больше 0');
	}
	const currency = f('Currency');
	if (currency !== 'RUB' && currency !== 'TST') return bad('Currency', 'Валюта: RUB или TST');
	const recipientName = f('RecipientName');
	if (recipientName === undefined) return bad('RecipientName', 'Не указан получатель');
	/** @type {import('./types.mjs').PayoutRecipient} */
	const recipient = {
		preferenceType,
		pan: pan ?? '',
		account: account ?? '',
		bankId: bankId ?? '',
		currency,
		recipientName,
	};
	return { recipient, amount };
}

/**
 * personal/payout/createOperation (dev/payout/api/createOperation; the page is cut after Account, so
 * the checks of the later fields are the sandbox's reading).
 * @type {import('./routes.mjs').Endpoint}
 */
export const createOperation = {
	run(state, f) {
		const refusal = userTokenRefusal(state, f);
		if (refusal) return refusal;
		const checked = payoutRequest(state, f);
		if ('refusal' in checked) return checked.refusal;
		const { recipient, amount } = checked;
		const failsOnCard = recipient.pan === FAILING_PAYOUT_PAN;
		const fails = failsOnCard || recipient.recipientName === FAILING_RECIPIENT_NAME;
		/** @type {PayoutOperation} */
		const op = {
			id: randomUUID(),
			amount,
			state: 'Created',
			executions: 0,
			outcome: 'InProcess',
			errorMessage: failsOnCard ? 'Карта получателя отклонена банком' : 'Платеж не прошел в банке',
			recipient,
			progress: {
				readsLeft: state.settings.payoutSettleAfterReads,
				finalState: fails ? 'Failed' : 'Completed',
			},
		};
		state.payouts.set(op.id, op);
		return payoutOperationData(op);
	},
};

/**
 * personal/payout/executeOperation (seeds/000): sends a payout once.
 * @type {import('./routes.mjs').Endpoint}
 */
export const executeOperation = {
	run(state, f) {
		const found = payoutOrRefusal(state, f);
		if ('refusal' in found) return found.refusal;
		const { op } = found;
		if (op.state !== 'Created') {
			return businessRefusal(
				5,
				'Операция выплаты уже отправлена на обработку',
				'PayoutOperationId',
			);
		}
		op.executions += 1;
		op.state = op.outcome;
		return payoutOperationData(op);
	},
};

/**
 * personal/payout/getOperationState, a read (docs/intellectmoney-api.md §2.3: the method name is
 * confirmed by wiki/88768545; its URL tail, fields and Sign recipe are an inference).
 * @type {import('./routes.mjs').Endpoint}
 */
export const getOperationState = {
	run(state, f) {
		const found = payoutOrRefusal(state, f);
		if ('refusal' in found) return found.refusal;
		const { op } = found;
		// Simulated bank processing of a createOperation payout (header comment, "Payout progress").
		if (op.state === 'InProcess' && op.progress) {
			if (op.progress.readsLeft > 0) op.progress.readsLeft -= 1;
			else {
				op.state = op.progress.finalState;
				op.progress = null;
			}
		}
		return payoutOperationData(op);
	},
};
