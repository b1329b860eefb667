// @ts-check
/**
 * Payout → Execute through n8n-core's WorkflowExecute against the sandbox: the user token's life
 * (one per execution, renewed once), the payout outcomes, and refusals.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';

const STATE = 'personal/payout/getOperationState';
const EXECUTE = 'personal/payout/executeOperation';
const TOKEN = 'personal/user/getUserToken';
const payout = loadWorkflow('payout-execute');

const h = useHarness({ extraCredentials: [{ password: 'wrong-password-1' }] });
beforeEach(() => {
	h.sandbox.clearLog();
	h.sandbox.onRequest(undefined);
});

describe('payout executes', () => {
	test('sent to processing: typed item, one token request, one signed execute', async () => {
		const operation = h.sandbox.addPayoutOperation();
		const result = await h.run(payout, { items: [{ payoutOperationId: operation.id }] });

		expect(result.output('IntellectMoney')).toEqual([
			{
				json: {
					payoutOperationId: operation.id,
					payoutState: 'InProcess',
					failed: false,
					final: false,
					errorMessage: null,
					status: 'processing',
					state: { code: 0, description: 'Успешно обработан' },
					operationState: { code: 0, description: 'Успешно обработана' },
					operationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
					warning: null,
					alreadyDone: false,
					testMode: false,
					waitedSeconds: null,
					waitTimedOut: false,
				},
				pairedItem: { item: 0 },
			},
		]);
		// Read first (a re-run must not execute twice), then one signed execute.
		expect(h.sandbox.log.map((entry) => [entry.endpoint, entry.verdict, entry.signValid])).toEqual([
			[TOKEN, 'accepted', true],
			[STATE, 'accepted', true],
			[EXECUTE, 'accepted', true],
		]);
		const [execute] = h.requestsTo(EXECUTE);
		expect(Object.keys(execute.fields).sort()).toEqual(['PayoutOperationId', 'UserToken']);
		expect(h.sandbox.issuedUserTokens()).toContain(execute.fields.UserToken);
		expect(h.sandbox.ledger().payoutExecutions[operation.id]).toBe(1);
	});

	test('a payout the bank refused is an output item that says so, not an error', async () => {
		const operation = h.sandbox.addPayoutOperation({ outcome: 'Failed' });
		const result = await h.run(payout, { items: [{ payoutOperationId: operation.id }] });
		expect(result.status).toBe('success');
		expect(outputJson(result)[0]).toMatchObject({
			payoutOperationId: operation.id,
			payoutState: 'Failed',
			failed: true,
			errorMessage: 'Платеж не прошел в банке',
			status: 'failed',
		});
	});

	test('50 items share one user token', async () => {
		const operations = Array.from({ length: 50 }, () => h.sandbox.addPayoutOperation());
		const result = await h.run(payout, {
			items: operations.map(({ id }) => ({ payoutOperationId: id })),
		});

		const items = result.output('IntellectMoney');
		expect(items).toHaveLength(50);
		expect(items.map((item) => item.json.payoutOperationId)).toEqual(
			operations.map(({ id }) => id),
		);
		expect(items.every((item, index) => /** @type {any} */ (item.pairedItem).item === index)).toBe(
			true,
		);
		expect(h.requestsTo(TOKEN)).toHaveLength(1);
		const executes = h.requestsTo(EXECUTE);
		expect(executes).toHaveLength(50);
		expect(new Set(executes.map((entry) => entry.fields.UserToken)).size).toBe(1);
		const ledger = h.sandbox.ledger().payoutExecutions;
		expect(operations.every(({ id }) => ledger[id] === 1)).toBe(true);
	});

	test('an expired token is renewed once and the payout goes through, once', async () => {
		const operation = h.sandbox.addPayoutOperation();
		let expired = false;
		// IntellectMoney expires tokens on its side: expire the first one right after it is issued.
		h.sandbox.onRequest((entry) => {
			if (entry.endpoint === TOKEN && !expired) {
				expired = true;
				h.sandbox.expireUserTokens();
			}
		});
		const result = await h.run(payout, { items: [{ payoutOperationId: operation.id }] });

		expect(outputJson(result)[0]).toMatchObject({
			payoutOperationId: operation.id,
			status: 'processing',
		});
		expect(h.sandbox.log.map((entry) => [entry.endpoint, entry.verdict])).toEqual([
			[TOKEN, 'accepted'],
			[STATE, 'refused'],
			[TOKEN, 'accepted'],
			[STATE, 'accepted'],
			[EXECUTE, 'accepted'],
		]);
		expect(h.sandbox.ledger().payoutExecutions[operation.id]).toBe(1);
	});

	test('a token refused again after renewal is an error, and renewal happens only once per execution', async () => {
		const operations = [h.sandbox.addPayoutOperation(), h.sandbox.addPayoutOperation()];
		h.sandbox.onRequest((entry) => {
			if (entry.endpoint === TOKEN) h.sandbox.expireUserTokens();
		});
		const workflow = withParameters(payout, {}, { continueOnFail: true });
		const result = await h.run(workflow, {
			items: operations.map(({ id }) => ({ payoutOperationId: id })),
		});

		// The state cannot be read with a refused token, so nothing is executed.
		expect(outputJson(result).map((item) => item.error)).toEqual(
			operations.map(
				({ id }, index) =>
					`Payout ${id} was not executed: its state could not be read first (IntellectMoney refused the read of the payout (Токен пользователя недействителен или истёк; ErrorSourceParam UserToken)) [item ${index}]`,
			),
		);
		expect(h.requestsTo(TOKEN)).toHaveLength(2);
		expect(operations.every(({ id }) => !h.sandbox.ledger().payoutExecutions[id])).toBe(true);
	});
});

describe('payout refused', () => {
	test('a payout already sent to processing: the read before executing says done → alreadyDone item, nothing sent, paid once', async () => {
		const operation = h.sandbox.addPayoutOperation();
		await h.run(payout, { items: [{ payoutOperationId: operation.id }] });
		h.sandbox.clearLog();
		const second = await h.run(payout, { items: [{ payoutOperationId: operation.id }] });
		expect(second.status).toBe('success');
		expect(outputJson(second)[0]).toMatchObject({
			payoutOperationId: operation.id,
			payoutState: 'InProcess',
			status: 'processing',
			failed: false,
			alreadyDone: true,
		});
		expect(h.sandbox.log.map((entry) => [entry.endpoint, entry.verdict])).toEqual([
			[TOKEN, 'accepted'],
			[STATE, 'accepted'],
		]);
		expect(h.sandbox.ledger().payoutExecutions[operation.id]).toBe(1);
	});

	test('an unknown payout operation is refused', async () => {
		const result = await h.run(payout, {
			items: [{ payoutOperationId: '0f0f0f0f-0000-4000-8000-000000000000' }],
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			'Payout 0f0f0f0f-0000-4000-8000-000000000000 was not executed: its state could not be read first (IntellectMoney refused the read of the payout (Операция выплаты не найдена; ErrorSourceParam PayoutOperationId)) [item 0]',
		);
		expect(h.requestsTo(EXECUTE)).toHaveLength(0);
	});

	test('a wrong password: one token request for the whole execution, every item fails clearly', async () => {
		const operations = [
			h.sandbox.addPayoutOperation(),
			h.sandbox.addPayoutOperation(),
			h.sandbox.addPayoutOperation(),
		];
		const workflow = withParameters(payout, {}, { continueOnFail: true });
		const result = await h.run(workflow, {
			items: operations.map(({ id }) => ({ payoutOperationId: id })),
			credentials: { password: 'wrong-password-1' },
		});
		const items = outputJson(result);
		expect(items).toHaveLength(3);
		items.forEach((item, index) => {
			expect(item.error).toBe(
				`Login refused: check Login and Password in the credential. IntellectMoney says: Неверный логин или пароль [item ${index}]`,
			);
			expect(item.description).toContain('Check Login and Password');
		});
		expect(h.requestsTo(TOKEN)).toHaveLength(1);
		expect(h.requestsTo(EXECUTE)).toHaveLength(0);
	});

	test('a wrong Sign Secret Key: refused at the token request, before any payout', async () => {
		const operation = h.sandbox.addPayoutOperation();
		const result = await h.run(payout, {
			items: [{ payoutOperationId: operation.id }],
			credentials: { signSecretKey: 'WRONG-SIGN-KEY' },
		});
		expect(result.nodeError('IntellectMoney')?.message).toBe(
			'Signature refused: check the Sign Secret Key. IntellectMoney says: Неверная подпись запроса (Sign) [item 0]',
		);
		expect(h.requestsTo(EXECUTE)).toHaveLength(0);
		expect(h.sandbox.getPayoutOperation(operation.id)?.state).toBe('Created');
	});
});
