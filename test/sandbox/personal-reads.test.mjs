// @ts-check
/**
 * The sandbox's Personal API reads beyond one invoice: getAccountData (accounts with balances over
 * time, its refusals) and getInvoicesHistory's paging, IncludePaymentTransactions (HistoryList with
 * payment dates), IsHoldingSearch, and the demo data's hold dates. Requests are signed with the
 * sandbox's recipes (test/sandbox/client.mjs, proved by recipes.test.mjs); the Signs of the vectors
 * computed with Python (test/vectors/) must verify.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { Agent } from 'undici';

import { seedDemoData, startSandbox } from '../../dev/sandbox/index.mjs';
import { vector } from '../vectors/vectors.mjs';
import {
	ACCOUNT,
	HISTORY,
	REFUND,
	accountSign,
	historySign,
	post,
	refundHash,
	refundSign,
	sha256,
} from './client.mjs';

/** @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox */

const HOUR = 60 * 60 * 1000;
/** @type {Sandbox} */
let sb;
const agent = new Agent();
/** @type {string} */
let token;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(async () => {
	await sb.stop();
	await agent.close();
});
beforeEach(() => {
	sb.clearLog();
	token = sb.issueUserToken();
});

/**
 * A signed Personal API read; `sign` overrides the Sign header.
 * @param {string} endpoint @param {Record<string, string>} fields @param {string} [sign]
 */
async function read(endpoint, fields, sign) {
	const signed = sign ?? (endpoint === ACCOUNT ? accountSign(fields) : historySign(fields));
	return await post(sb.url, endpoint, fields, { dispatcher: agent, sign: signed });
}

const refusal = (
	/** @type {number} */ code,
	/** @type {string} */ desc,
	/** @type {string} */ param,
) => ({
	State: { Code: code, Desc: desc },
	ErrorSourceParam: param,
});

describe('getAccountData', () => {
	test('the vectors verify: on a date (the empty segment before the key) and now', async () => {
		sb.addAccount({ accountId: '1234567', balance: '50000.00', openedAt: Date.UTC(2026, 0, 1) });
		sb.issueUserToken('b1f0c3de');
		for (const id of ['own-getAccountData-sign', 'own-getAccountData-sign-now']) {
			const v = vector(id);
			const r = await read(ACCOUNT, v.fields, v.digest);
			expect([id, r.json.Result]).toEqual([
				id,
				{
					State: { Code: 0, Desc: 'Успешно обработан' },
					AccountId: '1234567',
					Balance: { Amount: 50000, Currency: 'RUB' },
				},
			]);
			expect(sb.log.at(-1)).toMatchObject({
				endpoint: ACCOUNT,
				signValid: true,
				verdict: 'accepted',
			});
		}
		// Without the empty segment the Sign is wrong.
		const dropped = sha256('b1f0c3de::1234567::2026-11-30 23:59:59::SIGNSECRET');
		const r = await read(ACCOUNT, vector('own-getAccountData-sign').fields, dropped);
		expect(r.json.Result).toEqual(refusal(2, 'Неверная подпись запроса (Sign)', 'Sign'));
	});

	test('the balance on a date follows the account’s history; now by default', async () => {
		const opened = Date.now() - 10 * 24 * HOUR;
		const account = sb.addAccount({ balance: '1000.00', currency: 'RUB', openedAt: opened });
		sb.setAccountBalance(account.accountId, '-25.50', Date.now() - 24 * HOUR);
		const onDate = (/** @type {number} */ at) =>
			new Date(at + 3 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
		const balanceOf = async (/** @type {string | undefined} */ date) => {
			const fields = { UserToken: token, AccountId: account.accountId };
			const r = await read(
				ACCOUNT,
				date === undefined ? fields : { ...fields, BalanceOnDate: date },
			);
			return r.json.Result.Balance;
		};
		expect(await balanceOf(undefined)).toEqual({ Amount: -25.5, Currency: 'RUB' });
		expect(await balanceOf(onDate(Date.now() - 2 * 24 * HOUR))).toEqual({
			Amount: 1000,
			Currency: 'RUB',
		});
		expect(await balanceOf(onDate(opened))).toEqual({ Amount: 1000, Currency: 'RUB' });
	});

	test('refusals: no or unknown account, a bad or future date, before the account opened, a stale token', async () => {
		const account = sb.addAccount({ balance: '10.00', openedAt: Date.now() - HOUR });
		const base = { UserToken: token, AccountId: account.accountId };
		const cases = [
			[{ UserToken: token }, refusal(3, 'Не указан номер счёта', 'AccountId')],
			[{ ...base, AccountId: '9999999' }, refusal(4, 'Счёт не найден', 'AccountId')],
			[
				{ ...base, BalanceOnDate: '2026-02-30 10:00:00' },
				refusal(3, 'Некорректная дата', 'BalanceOnDate'),
			],
			[
				{ ...base, BalanceOnDate: '2099-01-01 00:00:00' },
				refusal(3, 'Дата баланса в будущем', 'BalanceOnDate'),
			],
			[
				{ ...base, BalanceOnDate: '2020-01-01 00:00:00' },
				refusal(4, 'Нет данных о балансе на эту дату', 'BalanceOnDate'),
			],
			[
				{ ...base, UserToken: 'not-issued' },
				refusal(2, 'Токен пользователя недействителен или истёк', 'UserToken'),
			],
		];
		for (const [fields, expected] of cases) {
			const r = await read(ACCOUNT, /** @type {Record<string, string>} */ (fields));
			expect(r.json.Result).toEqual(expected);
			expect(sb.log.at(-1)?.verdict).toBe('refused');
		}
	});
});

describe('getInvoicesHistory: paging, payments, IsHoldingSearch', () => {
	test('the Get Many page vector verifies; Skip and Take page the list in the order added', async () => {
		sb.issueUserToken('b1f0c3de');
		const v = vector('own-getInvoicesHistory-sign-page');
		const r = await read(HISTORY, v.fields, v.digest);
		expect(r.json.Result.State).toEqual({ Code: 0, Desc: 'Успешно обработан' });
		expect(sb.log.at(-1)).toMatchObject({ signValid: true, verdict: 'accepted' });

		await withFreshSandbox(async (s, t) => {
			const ids = Array.from({ length: 5 }, () => s.addInvoice().invoiceId);
			const page = async (/** @type {number} */ skip) => {
				const fields = { UserToken: t, Skip: String(skip), Take: '2' };
				const answer = await post(s.url, HISTORY, fields, {
					dispatcher: agent,
					sign: historySign(fields),
				});
				return answer.json.Result.InvoicesHistoryList.map((/** @type {any} */ i) => i.Id);
			};
			expect([await page(0), await page(2), await page(4), await page(5)]).toEqual([
				ids.slice(0, 2),
				ids.slice(2, 4),
				ids.slice(4),
				[],
			]);
		});
	});

	test('IncludePaymentTransactions: the buyer’s payment at its date, then the money given back', async () => {
		const paidAt = Date.now() - 30 * HOUR;
		const inv = sb.addInvoice({ amount: '780.50', createdAt: paidAt - HOUR, paidAt });
		const history = async (/** @type {Record<string, string>} */ extra) => {
			const fields = { UserToken: token, Skip: '0', Take: '1', InvoiceId: inv.invoiceId, ...extra };
			return (await read(HISTORY, fields)).json.Result;
		};
		const moscow = (/** @type {number} */ at) =>
			new Date(at + 3 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
		const held = (await history({ IncludePaymentTransactions: 'True' })).InvoicesHistoryList[0];
		expect(held).toMatchObject({ State: 'Held', ChangeDate: moscow(paidAt) });
		expect(held.HistoryList).toEqual([
			expect.objectContaining({
				State: 'Confirm',
				InvoicePaymentType: 'Purchase',
				CreationDate: moscow(paidAt),
				PaymentAmount: { Amount: 780.5, Currency: 'RUB' },
			}),
		]);
		// Without the flag (or with it off) there is no HistoryList, as before.
		expect((await history({})).InvoicesHistoryList[0]).not.toHaveProperty('HistoryList');
		expect(
			(await history({ IncludePaymentTransactions: '0' })).InvoicesHistoryList[0],
		).not.toHaveProperty('HistoryList');
		expect(await history({ IncludePaymentTransactions: 'maybe' })).toEqual(
			refusal(3, 'Некорректное значение IncludePaymentTransactions', 'IncludePaymentTransactions'),
		);
		// A release adds the money given back.
		const released = await post(
			sb.url,
			REFUND,
			{ EshopId: '450000', InvoiceId: inv.invoiceId, Hash: refundHash() },
			{ dispatcher: agent, sign: refundSign() },
		);
		expect(released.json.Result.State.Code).toBe(0);
		const after = (await history({ IncludePaymentTransactions: 'True' })).InvoicesHistoryList[0];
		expect(after.State).toBe('Refund');
		expect(
			after.HistoryList.map((/** @type {any} */ p) => [p.InvoicePaymentType, p.State]),
		).toEqual([
			['Purchase', 'Confirm'],
			['Refund', 'Confirm'],
		]);
	});

	test('IsHoldingSearch 0 or 1 changes nothing (one organization); anything else is refused', async () => {
		await withFreshSandbox(async (s, t) => {
			s.addInvoice({ state: 'Held' });
			s.addInvoice({ state: 'Created' });
			const list = async (/** @type {string} */ value) => {
				const fields = { UserToken: t, Skip: '0', Take: '10', IsHoldingSearch: value };
				const r = await post(s.url, HISTORY, fields, {
					dispatcher: agent,
					sign: historySign(fields),
				});
				return r.json.Result;
			};
			const zero = await list('0');
			expect(zero.InvoicesHistoryList.map((/** @type {any} */ i) => i.State)).toEqual([
				'Held',
				'Created',
			]);
			expect(await list('1')).toEqual(zero);
			expect(await list('2')).toEqual(
				refusal(3, 'Некорректное значение IsHoldingSearch', 'IsHoldingSearch'),
			);
		});
	});
});

describe('the demo data’s holds', () => {
	test('held invoices paid hours ago: with 72-hour holds, order-1005 and order-1006 end within 12 hours', async () => {
		await withFreshSandbox(async (s, t) => {
			const seeded = Date.now();
			const { accounts } = seedDemoData(s);
			expect(accounts.map((a) => [a.accountId, a.balances[0].balance])).toEqual([
				['1234567', '50000.00'],
			]);
			const fields = { UserToken: t, Skip: '0', Take: '100', IncludePaymentTransactions: 'True' };
			const r = await post(s.url, HISTORY, fields, {
				dispatcher: agent,
				sign: historySign(fields),
			});
			const ends = r.json.Result.InvoicesHistoryList.filter(
				(/** @type {any} */ i) => i.State === 'Held',
			).map((/** @type {any} */ i) => {
				const [payment] = i.HistoryList;
				const at = Date.parse(`${payment.CreationDate.replace(' ', 'T')}+03:00`);
				expect(payment.CreationDate).toBe(i.ChangeDate);
				return [i.PurchaseOrderId, Math.round((at + 72 * HOUR - seeded) / HOUR)];
			});
			expect(ends).toEqual([
				['order-1001', 43],
				['order-1002', 24],
				['order-1005', 6],
				['order-1006', 3],
			]);
		});
	});
});

/**
 * Runs `body` on a sandbox of its own (empty unless seeded), with a valid user token.
 * @param {(sandbox: Sandbox, userToken: string) => Promise<void>} body
 */
async function withFreshSandbox(body) {
	const s = await startSandbox();
	try {
		await body(s, s.issueUserToken());
	} finally {
		await s.stop();
	}
}
