// @ts-check
/**
 * The user's IntellectMoney accounts and personal/payment/getAccountData
 * (dev/personal/api/getAccountData: UserToken, AccountId required, BalanceOnDate optional
 * `yyyy-MM-dd HH:mm:ss`, default now). The page's Result is `AccountInfoData`, whose fields are not
 * published: the sandbox answers `{ State, AccountId, Balance: { Amount, Currency } }`, its own
 * invention (README.md), in IntellectMoney's money shape of InvoiceData.
 */
import { randomInt } from 'node:crypto';

import { accepted, businessRefusal } from './answers.mjs';
import { userTokenRefusal } from './personal.mjs';
import { parseImDate } from './wire.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./types.mjs').Account} Account
 */

const BALANCE_RE = /^-?\d{1,12}\.\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** @param {unknown} balance @param {string} where */
function checkedBalance(balance, where) {
	if (typeof balance !== 'string' || !BALANCE_RE.test(balance)) {
		throw new TypeError(`${where}: balance must be text with two decimals, got ${balance}`);
	}
	return balance;
}

/** @param {SandboxState} state @param {import('./types.mjs').AccountInput} [input] @returns {Account} */
export function addAccount(state, input = {}) {
	let accountId = input.accountId;
	if (accountId === undefined) {
		do accountId = String(randomInt(1e6, 1e7));
		while (state.accounts.has(accountId));
	} else if (!/^\d{1,20}$/.test(accountId) || state.accounts.has(accountId)) {
		throw new TypeError(`addAccount: accountId must be new and digits only, got ${accountId}`);
	}
	const openedAt = input.openedAt === undefined ? Date.now() - 30 * DAY_MS : Number(input.openedAt);
	if (!Number.isFinite(openedAt)) throw new TypeError('addAccount: bad openedAt');
	/** @type {Account} */
	const account = {
		accountId,
		currency: input.currency ?? 'RUB',
		balances: [{ from: openedAt, balance: checkedBalance(input.balance ?? '0.00', 'addAccount') }],
	};
	state.accounts.set(accountId, account);
	return account;
}

/**
 * The balance from `at` on.
 * @param {SandboxState} state @param {string} accountId @param {string} balance
 * @param {Date | number} [at]
 */
export function setAccountBalance(state, accountId, balance, at = Date.now()) {
	const account = state.accounts.get(accountId);
	if (!account) throw new TypeError(`setAccountBalance: no account ${accountId}`);
	const from = Number(at);
	const last = account.balances[account.balances.length - 1];
	if (!Number.isFinite(from) || from < last.from) {
		throw new TypeError('setAccountBalance: at must not be before the last change');
	}
	account.balances.push({ from, balance: checkedBalance(balance, 'setAccountBalance') });
	return account;
}

/**
 * The balance at `at`, to the second (as dates are written), or undefined before the account's
 * first balance.
 * @param {Account} account @param {number} at
 */
function balanceAt(account, at) {
	let found;
	for (const entry of account.balances) {
		if (Math.floor(entry.from / 1000) * 1000 <= at) found = entry.balance;
	}
	return found;
}

/**
 * getAccountData. Refusals (the sandbox's codes, README.md): no or unknown AccountId (3 / 4), a
 * BalanceOnDate that is not `yyyy-MM-dd HH:mm:ss` or is in the future (3), a date before the
 * account's first balance (4).
 * @type {import('./routes.mjs').Endpoint}
 */
export const getAccountData = {
	run(state, f) {
		const refusal = userTokenRefusal(state, f);
		if (refusal) return refusal;
		const accountId = f('AccountId');
		if (accountId === undefined) return businessRefusal(3, 'Не указан номер счёта', 'AccountId');
		const account = state.accounts.get(accountId);
		if (!account) return businessRefusal(4, 'Счёт не найден', 'AccountId');
		const dateText = f('BalanceOnDate');
		const at = dateText === undefined ? Date.now() : parseImDate(dateText);
		if (at === undefined) return businessRefusal(3, 'Некорректная дата', 'BalanceOnDate');
		// Whole seconds: the date is written to the second.
		if (at > Math.ceil(Date.now() / 1000) * 1000) {
			return businessRefusal(3, 'Дата баланса в будущем', 'BalanceOnDate');
		}
		const balance = balanceAt(account, at);
		if (balance === undefined) {
			return businessRefusal(4, 'Нет данных о балансе на эту дату', 'BalanceOnDate');
		}
		return accepted({
			State: { Code: 0, Desc: 'Успешно обработан' },
			AccountId: account.accountId,
			Balance: { Amount: Number(balance), Currency: account.currency },
		});
	},
};
