// @ts-check
/**
 * The checks every request meets before its endpoint runs, in this order: Authorization, body parse,
 * Sign, Hash; the first failure answers (README.md). Each check's outcome is logged even after an
 * earlier one failed, so tests can see what the client got right besides the first mistake.
 */
import { authRefusal, unparseableBody } from './answers.mjs';
import { RECIPES, md5Hex, safeEqual, sha256Hex } from './recipes.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./recipes.mjs').FieldReader} FieldReader
 */

/**
 * The Bearer token. null = no Authorization header where none is required (TST).
 * @param {SandboxState} state @param {string | undefined} authorization @param {boolean} optional
 * @returns {boolean | null}
 */
export function authCheck(state, authorization, optional) {
	if (authorization === undefined && optional) return null;
	return authorization === `Bearer ${state.shop.bearerToken}`;
}

/**
 * The SHA-256 `Sign` header. null = the body could not be parsed, or no Sign header came where none
 * is required (TST).
 * @param {SandboxState} state @param {string} endpoint @param {FieldReader | null} f
 * @param {string | undefined} sign @param {boolean} optional
 * @returns {boolean | null}
 */
export function signCheck(state, endpoint, f, sign, optional) {
	if (f === null || (sign === undefined && optional)) return null;
	return safeEqual(sign, sha256Hex(RECIPES[endpoint].sign(f, state.shop.signSecretKey)));
}

/**
 * The MD5 body `Hash`, and `PurchaseHash` when sent. null = the endpoint has no body hash, the body
 * could not be parsed, or the shop has no secret key.
 * @param {SandboxState} state @param {string} endpoint @param {FieldReader | null} f
 * @returns {{ valid: boolean | null, purchaseHashOnly: boolean }}  purchaseHashOnly: the Hash is
 *   right and only PurchaseHash is wrong
 */
export function hashCheck(state, endpoint, f) {
	const { hash, purchaseHash } = RECIPES[endpoint];
	const key = state.shop.shopSecretKey;
	if (f === null || !hash || !purchaseHash || key === '') {
		return { valid: null, purchaseHashOnly: false };
	}
	const hashValid = safeEqual(f('Hash'), md5Hex(hash(f, key)));
	const sentPurchaseHash = f('PurchaseHash');
	const purchaseHashValid =
		sentPurchaseHash === undefined || safeEqual(sentPurchaseHash, md5Hex(purchaseHash(f, key)));
	return { valid: hashValid && purchaseHashValid, purchaseHashOnly: hashValid };
}

/**
 * The refusal of the first failed check, or undefined when every check passed.
 * @param {{ authValid: boolean | null, parsed: boolean, signValid: boolean | null,
 *   hash: { valid: boolean | null, purchaseHashOnly: boolean }, namesPurchaseHash: boolean }} checked
 * @returns {import('./answers.mjs').Answer | undefined}
 */
export function firstRefusal(checked) {
	if (checked.authValid === false) {
		return authRefusal('Ошибка авторизации: неверный Bearer-токен', 'Authorization');
	}
	if (!checked.parsed) return unparseableBody();
	if (checked.signValid === false) return authRefusal('Неверная подпись запроса (Sign)', 'Sign');
	if (checked.hash.valid === false) {
		const param =
			checked.namesPurchaseHash && checked.hash.purchaseHashOnly ? 'PurchaseHash' : 'Hash';
		return authRefusal(`Неверная подпись данных (${param})`, param);
	}
	return undefined;
}
