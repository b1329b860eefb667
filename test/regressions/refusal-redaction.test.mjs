// @ts-check
/**
 * Regression (issue 20, "IntellectMoney's own refusal text is shown word for word…"): an answer that
 * echoes the request must not put the request's own values into the stored error or an output item.
 * A hostile IntellectMoney refuses with a Desc that repeats what it received: the Login and Password
 * of getUserToken, the UserToken of a Personal API read, the Bearer token of a capture, the form body
 * URL-encoded. The error keeps IntellectMoney's other words, with each value replaced by its name.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import {
	findLeaks,
	loadWorkflow,
	outputJson,
	visibleTexts,
	withParameters,
} from '../support/harness.mjs';
import {
	answer,
	envelope,
	HOSTILE_SECRETS,
	refusal,
	useHostileHarness,
} from '../support/hostile.mjs';

const TOKEN = 'personal/user/getUserToken';
const ACCOUNT = 'personal/payment/getAccountData';
const CAPTURE = 'merchant/purchaseToPaid';
const LOGIN = 'operator@example.com';
const balance = loadWorkflow('account-get-balance');
const capture = loadWorkflow('capture-by-order-id');

const h = useHostileHarness();
beforeEach(() => h.server.reset());

/** What a user could see of a run, and which secrets (credential values, user token, login) are in it. @param {any} result */
const leaksOf = (result) =>
	findLeaks(visibleTexts(result), [...Object.values(HOSTILE_SECRETS), h.server.userToken, LOGIN]);

/** The body a request carried, as a server would print it back. @param {Record<string, string>} fields */
const formOf = (fields) => new URLSearchParams(fields).toString();

describe('a refusal that echoes the request', () => {
	test('getUserToken repeats Login and Password: hidden by name, the rest word for word', async () => {
		h.server.on(TOKEN, (request, res) =>
			answer(
				res,
				200,
				refusal(
					3,
					`Неверный логин или пароль: Login=${request.fields.Login}, ` +
						`Password=${request.fields.Password}; тело ${formOf(request.fields)}`,
					'Password',
				),
			),
		);
		const result = await h.run(balance, { items: [{ accountId: '1234567' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			'Password refused: check Login and Password in the credential. IntellectMoney says: Неверный логин или пароль: ' +
				'Login=<Login>, Password=<Password>; тело Login=<Login>&Password=<Password> [item 0]',
		);
		expect(leaksOf(result)).toEqual([]);
	});

	test('a read repeats the UserToken (not named as refused, so no renewal): hidden, with Continue On Fail too', async () => {
		h.server.on(ACCOUNT, (request, res) =>
			answer(
				res,
				200,
				refusal(5, `Счёт не найден для токена ${request.fields.UserToken}`, 'AccountId'),
			),
		);
		const result = await h.run(withParameters(balance, {}, { continueOnFail: true }), {
			items: [{ accountId: '1234567' }],
		});
		expect(outputJson(result)).toEqual([
			{
				error:
					'Balance not read. IntellectMoney says: Счёт не найден для токена <UserToken> [item 0]',
				description:
					"IntellectMoney's codes: OperationState.Code 0, Result.State.Code 5, ErrorSourceParam AccountId.",
			},
		]);
		expect(leaksOf(result)).toEqual([]);
	});

	test('a capture refusal repeats the Authorization header and the Sign: the Bearer token is hidden', async () => {
		h.server.on(CAPTURE, (request, res) =>
			answer(res, 200, refusal(5, `Отказано: ${request.headers.authorization}`, 'OrderId')),
		);
		const result = await h.run(capture, { items: [{ orderId: 'order-1' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toContain('IntellectMoney says: Отказано: Bearer <Bearer Token>');
		expect(leaksOf(result)).toEqual([]);
	});

	test('Include Raw Response of a success that echoes the token: hidden in the output item too', async () => {
		h.server.on(ACCOUNT, (request, res) =>
			answer(
				res,
				200,
				envelope({ Balance: 10, Currency: 'RUB', Note: `token ${request.fields.UserToken}` }),
			),
		);
		const result = await h.run(withParameters(balance, { options: { includeRaw: true } }), {
			items: [{ accountId: '1234567' }],
		});
		const [item] = outputJson(result);
		expect(item).toMatchObject({
			balance: '10.00',
			raw: { Result: { Note: 'token <UserToken>' } },
		});
		expect(leaksOf(result)).toEqual([]);
	});
});
