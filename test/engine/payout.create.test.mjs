// @ts-check
/**
 * Payout → Create and Payout → Get State through n8n-core's WorkflowExecute against the sandbox: SBP
 * and card payouts, the card number never shown, and the whole create → execute → final path.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';

import { loadWorkflow, outputJson, useHarness, withParameters } from '../support/harness.mjs';

const CREATE = 'personal/payout/createOperation';
const STATE = 'personal/payout/getOperationState';
const createPayout = loadWorkflow('payout-create');
const byCard = withParameters(createPayout, { method: 'card' });
const getState = loadWorkflow('payout-get');
const execute = loadWorkflow('payout-execute');
/**
 * A Luhn-valid test card number as the node sends it; it must never appear in anything a user can see.
 * Inputs give it grouped (`CARD_INPUT`), so the scan finds only what the node itself wrote.
 */
const PAN = '4111111111111111';
const CARD_INPUT = '4111 1111 1111 1111';
const sbp = {
	phone: '+7 (900) 123-45-67',
	bankId: '100000000111',
	amount: '2500',
	recipientName: 'Иванов Иван Иванович',
};

const h = useHarness({ extraSecrets: [PAN] });
beforeEach(() => h.sandbox.clearLog());

describe('create a payout', () => {
	test('by SBP: typed item, signed request, the sandbox holds a Created operation', async () => {
		const result = await h.run(createPayout, { items: [sbp] });
		expect(result.status).toBe('success');
		const [item] = outputJson(result);
		expect(item).toEqual({
			payoutOperationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			payoutState: 'Created',
			status: 'created',
			final: false,
			failed: false,
			errorMessage: null,
			state: { code: 0, description: expect.any(String) },
			operationState: { code: 0, description: expect.any(String) },
			operationId: expect.any(String),
			warning: null,
			alreadyDone: false,
			testMode: false,
			method: 'sbp',
			amount: '2500.00',
			currency: 'RUB',
			recipientName: 'Иванов Иван Иванович',
			recipient: '+7******4567',
			bankId: '100000000111',
		});
		const [request] = h.requestsTo(CREATE);
		expect(request).toMatchObject({ signValid: true, verdict: 'accepted' });
		expect(request.fields).toMatchObject({
			PreferenceType: 'OutSbp',
			Account: '79001234567',
			BankId: '100000000111',
			Amount: '2500.00',
			Currency: 'RUB',
			RecipientName: 'Иванов Иван Иванович',
			EshopId: '450000',
		});
		expect(request.fields).not.toHaveProperty('Pan');
		expect(h.sandbox.getPayoutOperation(String(item.payoutOperationId))?.state).toBe('Created');
	});

	test('by card: the number is sent, and only a masked form comes out', async () => {
		const result = await h.run(byCard, { items: [{ ...sbp, pan: CARD_INPUT }] });
		const [item] = outputJson(result);
		expect(item).toMatchObject({ method: 'card', recipient: '411111******1111', bankId: null });
		const [request] = h.requestsTo(CREATE);
		expect(request.fields).toMatchObject({ PreferenceType: 'OutBankCard', Pan: PAN });
		expect(request).toMatchObject({ signValid: true, verdict: 'accepted' });
	});

	test('a refusal shows the signed string with the card number masked', async () => {
		const result = await h.run(byCard, {
			items: [{ ...sbp, pan: CARD_INPUT }],
			credentials: { signSecretKey: 'WRONG-SIGN-KEY' },
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		// The token request is refused first with a wrong key; either way no number is shown.
		expect(JSON.stringify(error)).not.toContain(PAN);
	});

	test('a lost answer is asked again: one operation is returned (creating moves no money)', async () => {
		h.sandbox.injectFaults({ endpoint: CREATE, kind: 'reset', count: 1 });
		const result = await h.run(createPayout, { items: [sbp] });
		h.sandbox.clearFaults();
		expect(outputJson(result)[0]).toMatchObject({ status: 'created' });
		expect(h.requestsTo(CREATE)).toHaveLength(2);
	});
});

describe('create → execute → final', () => {
	test('Execute with Wait Until Final reports completed; Get State agrees', async () => {
		const created = outputJson(await h.run(createPayout, { items: [sbp] }))[0];
		const waiting = withParameters(execute, {
			options: { waitUntilFinal: true, pollIntervalSeconds: 1, waitLimitSeconds: 30 },
		});
		const executed = outputJson(
			await h.run(waiting, { items: [{ payoutOperationId: created.payoutOperationId }] }),
		)[0];
		expect(executed).toMatchObject({
			payoutOperationId: created.payoutOperationId,
			payoutState: 'Completed',
			status: 'completed',
			final: true,
			failed: false,
			waitTimedOut: false,
		});
		expect(executed.waitedSeconds).toBeGreaterThanOrEqual(1);
		// The sandbox settles after 2 InProcess reads: the node polled until the third.
		expect(h.requestsTo(STATE).length).toBeGreaterThanOrEqual(3);

		const state = outputJson(
			await h.run(getState, { items: [{ payoutOperationId: created.payoutOperationId }] }),
		)[0];
		expect(state).toMatchObject({ payoutState: 'Completed', status: 'completed', final: true });
		expect(h.sandbox.ledger().payoutExecutions[String(created.payoutOperationId)]).toBe(1);
	});

	test('a recipient the bank refuses ends Failed: an item with failed true, not an error', async () => {
		const created = outputJson(
			await h.run(createPayout, { items: [{ ...sbp, recipientName: 'FAIL' }] }),
		)[0];
		const waiting = withParameters(execute, {
			options: { waitUntilFinal: true, pollIntervalSeconds: 1, waitLimitSeconds: 30 },
		});
		const result = await h.run(waiting, {
			items: [{ payoutOperationId: created.payoutOperationId }],
		});
		expect(result.status).toBe('success');
		expect(outputJson(result)[0]).toMatchObject({
			payoutState: 'Failed',
			status: 'failed',
			failed: true,
			final: true,
			errorMessage: expect.any(String),
		});
	});

	test('the wait limit runs out before a final state: final false, waitTimedOut true', async () => {
		const operation = h.sandbox.addPayoutOperation();
		const waiting = withParameters(execute, {
			options: { waitUntilFinal: true, pollIntervalSeconds: 1, waitLimitSeconds: 2 },
		});
		const result = await h.run(waiting, { items: [{ payoutOperationId: operation.id }] });
		expect(outputJson(result)[0]).toMatchObject({
			payoutState: 'InProcess',
			status: 'processing',
			final: false,
			waitTimedOut: true,
		});
		expect(h.requestsTo(STATE).length).toBeGreaterThanOrEqual(1);
		expect(h.requestsTo(STATE).length).toBeLessThanOrEqual(3);
	});
});

describe('get the state of a payout', () => {
	test('an unknown operation is IntellectMoney’s refusal, with its description', async () => {
		const result = await h.run(getState, {
			items: [{ payoutOperationId: '0f0f0f0f-0000-4000-8000-000000000000' }],
		});
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^[A-Z][^.]+\. IntellectMoney says: .+ \[item 0\]$/);
	});
});
