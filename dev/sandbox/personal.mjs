// @ts-check
/**
 * The Personal API's user token: getUserToken, which issues the token that every personal/payment/*
 * and personal/payout/* request carries (15 minutes by default), and its check. The reads are in
 * invoice-history.mjs (getInvoicesHistory) and accounts.mjs (getAccountData).
 */
import { accepted, authRefusal } from './answers.mjs';
import { issueUserToken, userTokenValid } from './state.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./recipes.mjs').FieldReader} FieldReader
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
