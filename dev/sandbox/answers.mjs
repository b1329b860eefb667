// @ts-check
/**
 * IntellectMoney's answer envelope (docs/intellectmoney-api.md §4) and the sandbox's refusals in it:
 * every answer is HTTP 200; OperationState.Code 0 = processed, 1 = queued, 2 = could not process;
 * Result.State.Code 0 = success, 1 = success with warning, anything else = error (+ ErrorSourceParam).
 * The codes beyond that frame are the sandbox's own (README.md).
 */
import { randomUUID } from 'node:crypto';

/**
 * Outcome of an endpoint handler, before the OperationId/EshopId are added.
 * @typedef {object} Answer
 * @property {import('./types.mjs').StateInfo} op
 * @property {Record<string, unknown> | null} result
 * @property {boolean} accepted
 */

/** @type {import('./types.mjs').StateInfo} */
export const PROCESSED = Object.freeze({ Code: 0, Desc: 'Успешно обработана' });

/**
 * Authorization-type refusal: the request was not processed at all (docs/intellectmoney-api.md §4
 * code 2).
 * @param {string} desc
 * @param {string} param
 * @returns {Answer}
 */
export function authRefusal(desc, param) {
	return {
		op: { Code: 2, Desc: desc },
		result: { State: { Code: 2, Desc: desc }, ErrorSourceParam: param },
		accepted: false,
	};
}

/**
 * Business refusal: processed, the method itself said no (docs/intellectmoney-api.md §4
 * Result.State "any other").
 * @param {number} code
 * @param {string} desc
 * @param {string} param
 * @returns {Answer}
 */
export function businessRefusal(code, desc, param) {
	return {
		op: { ...PROCESSED },
		result: { State: { Code: code, Desc: desc }, ErrorSourceParam: param },
		accepted: false,
	};
}

/**
 * A processed request's success.
 * @param {Record<string, unknown> | null} result
 * @returns {Answer}
 */
export function accepted(result) {
	return { op: { ...PROCESSED }, result, accepted: true };
}

/** A body that could not be parsed: not processed, no Result. @type {() => Answer} */
export const unparseableBody = () => ({
	op: { Code: 2, Desc: 'Некорректное тело запроса' },
	result: null,
	accepted: false,
});

/**
 * The envelope sent for an answer. It echoes the shop number only where the request carries one
 * (the merchant API).
 * @param {string} endpoint @param {import('./recipes.mjs').FieldReader} f @param {Answer} answer
 * @returns {import('./types.mjs').Envelope}
 */
export function envelopeOf(endpoint, f, answer) {
	const eshopField = endpoint.startsWith('merchant/') ? f('EshopId') : undefined;
	return {
		OperationState: answer.op,
		OperationId: randomUUID(),
		EshopId: eshopField !== undefined && /^\d{1,9}$/.test(eshopField) ? Number(eshopField) : null,
		Result: answer.result,
	};
}
