// @ts-check
/**
 * Account → Get Balance through n8n-core's WorkflowExecute: against the sandbox (the balance now and
 * on a date sent in Moscow time, IntellectMoney's refusals, Continue On Fail, Include Raw Response),
 * and against a hostile server answering AccountInfoData in every shape: the node's reading of the
 * unpublished fields takes a balance it can read, exactly as sent, and fails closed on anything else
 * (a missing, null, empty or unreadable balance is never 0).
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';
import { answer, envelope, useHostileHarness } from '../support/hostile.mjs';

const ACCOUNT = 'personal/payment/getAccountData';
const HOUR = 60 * 60 * 1000;
const golden = loadWorkflow('account-get-balance');
const onDate = withParameters(golden, { balanceOn: '={{ $json.balanceOn }}' });

describe('against the sandbox', () => {
	const h = useHarness();
	beforeEach(() => h.sandbox.clearLog());

	test('the balance now: one signed getAccountData without BalanceOnDate, a typed item', async () => {
		h.sandbox.addAccount({ accountId: '1234567', balance: '48250.00' });
		const before = Date.now();
		const result = await h.run(golden, { items: [{ accountId: '1234567' }] });
		const [item] = outputJson(result);
		expect(item).toEqual({
			accountId: '1234567',
			balance: '48250.00',
			currency: 'RUB',
			balanceOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/),
			testMode: false,
		});
		const balanceOn = Date.parse(String(item.balanceOn));
		expect(balanceOn).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(balanceOn).toBeLessThanOrEqual(Date.now());
		const [request] = h.requestsTo(ACCOUNT);
		expect(request).toMatchObject({ signValid: true, verdict: 'accepted' });
		expect(request.fields).toEqual({ UserToken: expect.any(String), AccountId: '1234567' });
	});

	test('on a date: sent in Moscow time, the balance of that moment', async () => {
		const account = h.sandbox.addAccount({ balance: '100.00', openedAt: Date.UTC(2026, 0, 1) });
		h.sandbox.setAccountBalance(account.accountId, '-15.50', Date.UTC(2026, 10, 30, 12, 0, 0));
		const result = await h.run(onDate, {
			items: [
				{ accountId: account.accountId, balanceOn: '2026-11-30T11:59:59Z' },
				{ accountId: account.accountId, balanceOn: '2026-11-30 15:00:00' },
			],
		});
		expect(outputJson(result).map(({ balance, balanceOn }) => [balance, balanceOn])).toEqual([
			['100.00', '2026-11-30T14:59:59+03:00'],
			['-15.50', '2026-11-30T15:00:00+03:00'],
		]);
		expect(h.requestsTo(ACCOUNT).map((r) => r.fields.BalanceOnDate)).toEqual([
			'2026-11-30 14:59:59',
			'2026-11-30 15:00:00',
		]);
	});

	test('refusals come with IntellectMoney’s words; Continue On Fail keeps every item paired', async () => {
		const account = h.sandbox.addAccount({ balance: '5.00', openedAt: Date.now() - HOUR });
		const stopped = await h.run(golden, { items: [{ accountId: '9999999' }] });
		const error = /** @type {any} */ (stopped.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe('Balance not read. IntellectMoney says: Счёт не найден [item 0]');
		expect(error.description).toContain('ErrorSourceParam AccountId');

		const result = await h.run(withParameters(onDate, {}, { continueOnFail: true }), {
			items: [
				{ accountId: account.accountId, balanceOn: '2020-01-01T00:00:00+03:00' },
				{ accountId: account.accountId, balanceOn: '' },
			],
		});
		expect(result.output('IntellectMoney').map((item) => [item.pairedItem, item.json])).toEqual([
			[
				{ item: 0 },
				{
					error: 'Balance not read. IntellectMoney says: Нет данных о балансе на эту дату [item 0]',
					description: expect.stringContaining('ErrorSourceParam BalanceOnDate'),
				},
			],
			[{ item: 1 }, expect.objectContaining({ balance: '5.00', currency: 'RUB' })],
		]);
	});

	test('Include Raw Response adds IntellectMoney’s whole answer', async () => {
		const account = h.sandbox.addAccount({ balance: '7.00' });
		const raw = withParameters(golden, { options: { includeRaw: true } });
		const [item] = outputJson(await h.run(raw, { items: [{ accountId: account.accountId }] }));
		expect(item.raw).toMatchObject({
			OperationState: { Code: 0 },
			Result: { AccountId: account.accountId, Balance: { Amount: 7, Currency: 'RUB' } },
		});
	});
});

describe('AccountInfoData in every shape (a hostile server)', () => {
	const h = useHostileHarness();
	beforeEach(() => h.server.reset());

	/** Answers getAccountData with `result` (inside the success envelope). @param {Record<string, unknown>} result */
	const answering = (result) =>
		h.server.on(ACCOUNT, (_request, res) => answer(res, 200, envelope(result)));
	const balanceOf = async (/** @type {Record<string, unknown>} */ result) => {
		answering(result);
		return await h.run(golden, { items: [{ accountId: '1234567' }] });
	};

	test.each([
		['money object', { Balance: { Amount: 1234.5, Currency: 'RUB' } }, '1234.50', 'RUB'],
		['a number, Currency beside it', { Balance: 99.999, Currency: 'RUB' }, '99.999', 'RUB'],
		['a real zero', { Balance: 0, Currency: 'RUB' }, '0.00', 'RUB'],
		['negative', { Balance: { Amount: -12.5, Currency: 'RUB' } }, '-12.50', 'RUB'],
		['the account echoed', { AccountId: 1234567, Balance: 10 }, '10.00', null],
	])('%s: read exactly, never rounded', async (_name, result, balance, currency) => {
		const [item] = outputJson(await balanceOf(result));
		expect(item).toMatchObject({ accountId: '1234567', balance, currency });
	});

	test.each([
		['no Balance', { Amount: 10, Currency: 'RUB' }, 'fields State, Amount, Currency'],
		['Balance null', { Balance: null }, 'fields State, Balance'],
		['Balance empty', { Balance: '' }, 'fields State, Balance'],
		['Balance a word', { Balance: 'n/a' }, 'fields State, Balance'],
		['Amount null', { Balance: { Amount: null, Currency: 'RUB' } }, 'fields State, Balance'],
		['an exponent', { Balance: 1e21 }, 'fields State, Balance'],
		// A comma may be a decimal comma or a thousands separator ("1,500"): refused, never guessed.
		['decimal text with a comma', { Balance: '1000,5' }, 'fields State, Balance'],
	])('%s: an error, never a balance of 0', async (_name, result, names) => {
		const run = await balanceOf(result);
		const error = /** @type {any} */ (run.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			"IntellectMoney's answer has no balance this node can read for account 1234567 [item 0]",
		);
		expect(error.description).toContain(`getAccountData answered with ${names}.`);
		expect(run.output('IntellectMoney')).toEqual([]);
	});

	test('an answer about another account is not passed on', async () => {
		const run = await balanceOf({ AccountId: '7654321', Balance: 10 });
		expect(/** @type {any} */ (run.nodeError('IntellectMoney')).message).toBe(
			'IntellectMoney answered about account 7654321, not 1234567 [item 0]',
		);
	});
});
