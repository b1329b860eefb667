// @ts-check
/**
 * Account → Check Setup through n8n-core's WorkflowExecute. Against the sandbox: every checkable
 * inference held, and with each live-differs switch (dev/sandbox/live-differs.mjs) the matching one
 * not held and the others held; reads only (the ledger and the request log say so). Against a hostile
 * server that plants secrets and personal data in every answer the check reads (values and field
 * names): none of them reaches the output.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';

import { loadWorkflow, outputJson, useHarness } from '../support/harness.mjs';
import { answer, envelope, HOSTILE_SECRETS, useHostileHarness } from '../support/hostile.mjs';

const golden = loadWorkflow('account-check-setup');
const executeWorkflow = loadWorkflow('payout-execute');
const READS = new Set([
	'personal/user/getUserToken',
	'personal/payment/getAccountData',
	'personal/payment/getInvoicesHistory',
	'personal/payout/getOperationState',
]);
const NOT_CHECKABLE = ['refund-hash', 'capture-sign-invoice-id', 'paid-after-capture', 'sbp-phone'];
const CHECKABLE = [
	'user-token-sign',
	'payout-state-endpoint',
	'payout-state-words',
	'account-info-balance',
	'moscow-dates',
	'refusal-error-source-param',
	'invoice-state-words',
	'invoice-list-shape',
	'notification-hash-raw',
];

/** fact → result of a run's items. @param {Array<Record<string, unknown>>} items */
const resultsOf = (items) => Object.fromEntries(items.map((item) => [item.fact, item.result]));

/** Every checkable fact held but `changed`, the not-checkable ones not checked. @param {Record<string, string>} changed */
const expected = (changed = {}) => ({
	...Object.fromEntries(CHECKABLE.map((fact) => [fact, 'held'])),
	...Object.fromEntries(NOT_CHECKABLE.map((fact) => [fact, 'not checked'])),
	...changed,
});

describe('against the sandbox', () => {
	const h = useHarness();
	/** @type {Record<string, string>} */
	let input;

	beforeEach(() => {
		h.sandbox.playLiveDiffers([]);
		h.sandbox.clearLog();
		if (input) return;
		const account = h.sandbox.addAccount({ balance: '48250.00' });
		const invoice = h.sandbox.addInvoice({ state: 'Held', createdAt: Date.now() - 60 * 60 * 1000 });
		const payout = h.sandbox.addPayoutOperation({ outcome: 'InProcess' });
		const notification = new URLSearchParams(
			h.sandbox.notificationFor(invoice.invoiceId),
		).toString();
		input = {
			accountId: account.accountId,
			invoiceId: invoice.invoiceId,
			payoutOperationId: payout.id,
			notificationBody: notification,
		};
	});

	/** Runs the check with `input` changed by `changes`. @param {Record<string, string>} [changes] @param {any} [credentials] */
	const check = async (changes = {}, credentials = undefined) =>
		outputJson(await h.run(golden, { items: [{ ...input, ...changes }], credentials }));

	test('all held: one item per inference, reads only, nothing in the ledger changes', async () => {
		const ledger = h.sandbox.ledger();
		const items = await check();
		expect(resultsOf(items)).toEqual(expected());
		expect(items).toHaveLength(CHECKABLE.length + NOT_CHECKABLE.length);
		for (const item of items) {
			expect(Object.keys(item).sort()).toEqual(
				[
					'assumption',
					'checkedBy',
					'docSection',
					'fact',
					'ifNotHeld',
					'operations',
					'result',
					'seen',
				].sort(),
			);
			expect(item.docSection).toMatch(/^docs\/intellectmoney-api\.md §\d/);
			expect(item.ifNotHeld).toBeNull();
		}
		expect(
			h.sandbox.log.map((entry) => entry.endpoint).filter((endpoint) => !READS.has(endpoint)),
		).toEqual([]);
		expect(h.sandbox.log.every((entry) => entry.signValid === true)).toBe(true);
		expect(h.sandbox.ledger()).toEqual(ledger);
		const byFact = Object.fromEntries(items.map((item) => [item.fact, item]));
		expect(byFact['account-info-balance'].seen).toContain(
			'Balance: object{Amount: number, Currency: text}',
		);
		expect(byFact['moscow-dates'].seen).toContain('yyyy-MM-dd HH:mm:ss');
		expect(byFact['payout-state-words'].seen).toBe('PayoutOperationState Created');
	});

	test.each([
		[
			'noOperationState',
			{ 'payout-state-endpoint': 'not held', 'payout-state-words': 'not checked' },
			/HTTP 404/,
		],
		[
			'operationStateNoMethod',
			{ 'payout-state-endpoint': 'not held', 'payout-state-words': 'not checked' },
			/method does not exist/,
		],
		[
			'accountFieldNames',
			{ 'account-info-balance': 'not held' },
			/AccountNumber: text, AvailableBalance: number/,
		],
		['dateFormat', { 'moscow-dates': 'not held' }, /dd\.MM\.yyyy HH:mm:ss/],
		[
			'refusalShape',
			{ 'refusal-error-source-param': 'not held' },
			/no Result, no ErrorSourceParam.*Errors: array/,
		],
	])(
		'live API differs (%s): the matching fact not held, the others held',
		async (name, changed, seen) => {
			h.sandbox.playLiveDiffers([name]);
			const items = await check();
			expect(resultsOf(items)).toEqual(expected(changed));
			const [fact] = Object.keys(changed);
			const item = items.find((entry) => entry.fact === fact);
			expect(item?.seen).toMatch(seen);
			expect(item?.ifNotHeld).toEqual(expect.stringContaining('Check Setup'));
		},
	);

	test('nothing named: those facts not checked, the payout read probed with an id that cannot exist', async () => {
		const items = await check({
			accountId: '',
			invoiceId: '',
			payoutOperationId: '',
			notificationBody: '',
		});
		expect(resultsOf(items)).toEqual(
			expected({
				'account-info-balance': 'not checked',
				'invoice-state-words': 'not checked',
				'payout-state-words': 'not checked',
				'notification-hash-raw': 'not checked',
			}),
		);
		const [probe] = h.requestsTo('personal/payout/getOperationState');
		expect(probe.fields.PayoutOperationId).toBe('00000000-0000-4000-8000-000000000000');
	});

	test('a notification the Shop Secret Key does not verify: not held, its fields named, no value shown', async () => {
		const forged = new URLSearchParams(input.notificationBody);
		forged.set('recipientAmount', '99999.99');
		const items = await check({ notificationBody: forged.toString() });
		const item = items.find((entry) => entry.fact === 'notification-hash-raw');
		expect(item).toMatchObject({ result: 'not held' });
		expect(item?.seen).toMatch(
			/^the hash does not match; the notification has fields eshopId, paymentId, orderId, .*hash; every hashed field present$/,
		);
		expect(JSON.stringify(items)).not.toContain('99999.99');
	});

	test('a notification without its hash (e.g. the trigger’s output item): not checked, saying what to paste', async () => {
		const fields = Object.fromEntries(new URLSearchParams(input.notificationBody));
		delete fields.hash;
		const items = await check({ notificationBody: JSON.stringify(fields) });
		const item = items.find((entry) => entry.fact === 'notification-hash-raw');
		expect(item).toMatchObject({ result: 'not checked' });
		expect(item?.seen).toMatch(/^the notification has no hash \(paste the raw body/);
	});

	test('a wrong Sign Secret Key: the user token not held, every Personal API fact not checked', async () => {
		const items = await check({}, { signSecretKey: 'WRONG-SIGN-KEY-check-4471' });
		expect(resultsOf(items)).toMatchObject({
			'user-token-sign': 'not held',
			'account-info-balance': 'not checked',
			'payout-state-endpoint': 'not checked',
			'notification-hash-raw': 'held',
		});
		expect(h.requestsTo('personal/user/getUserToken')).toHaveLength(1);
		expect(h.sandbox.log).toHaveLength(1);
	});

	test.each(['noOperationState', 'operationStateNoMethod'])(
		'%s: Payout → Execute stops before it executes, and Check Setup names the inference',
		async (name) => {
			h.sandbox.playLiveDiffers([name]);
			const payout = h.sandbox.addPayoutOperation();
			const result = await h.run(executeWorkflow, { items: [{ payoutOperationId: payout.id }] });
			const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
			// Its own error: the inference, the shape seen, the setup check and what to do (no dead end).
			expect(error.message).toBe(
				`Payout ${payout.id} was not executed: its state could not be read first: IntellectMoney's live answer does not fit the package's inference "payout-state-endpoint" [item 0]`,
			);
			expect(error.description).toContain('Account → Check Setup');
			expect(error.description).toContain('The live answer was');
			expect(h.requestsTo('personal/payout/executeOperation')).toHaveLength(0);
			expect(h.sandbox.ledger().payoutExecutions[payout.id]).toBe(0);
			const items = await check({ payoutOperationId: payout.id });
			expect(resultsOf(items)['payout-state-endpoint']).toBe('not held');
		},
	);

	test('bad input is refused before anything is sent, naming the field', async () => {
		const result = await h.run(golden, { items: [{ ...input, invoiceId: '12345' }] });
		const error = /** @type {any} */ (result.nodeError('IntellectMoney'));
		expect(error.message).toBe(
			'Invoice ID "12345" is not an IntellectMoney invoice number [item 0]',
		);
		expect(h.sandbox.log).toHaveLength(0);
	});
});

describe('secrets and personal data planted in every answer (a hostile server)', () => {
	const h = useHostileHarness();
	const PERSONAL = [
		'Иванов Иван Иванович',
		'ivanov.personal@example.org',
		'79161234567',
		'4276380012345678',
		'ORDER-personal-8841',
		'40817810099910004312',
		'48250.17',
		'1234.56',
		'Completed-SECRET-state',
	];
	const planted = [...Object.values(HOSTILE_SECRETS), 'operator@example.com', ...PERSONAL];
	/** Every planted value as a value, and some as field names. */
	const plantedFields = () => ({
		...Object.fromEntries(
			planted.map((value, index) => [`Planted${'abcdefghijklmnop'[index]}x`, value]),
		),
		[PERSONAL[1]]: PERSONAL[0],
		[PERSONAL[2]]: 1,
		[h.server.userToken]: HOSTILE_SECRETS.password,
		[HOSTILE_SECRETS.signSecretKey]: true,
		Иванов: PERSONAL[3],
	});

	test('none of them, nor the user token, reaches the output', async () => {
		h.server.reset();
		const withPlanted = (/** @type {Record<string, unknown>} */ result) =>
			envelope({ ...plantedFields(), ...result });
		h.server.on('personal/user/getUserToken', (_request, res) =>
			answer(res, 200, withPlanted({ UserToken: h.server.userToken })),
		);
		h.server.on('personal/payment/getAccountData', (request, res) => {
			if (request.fields.AccountId === '0') {
				answer(res, 200, {
					OperationState: { Code: 0, Desc: `${PERSONAL[0]} ${HOSTILE_SECRETS.bearerToken}` },
					Result: {
						State: { Code: 4, Desc: `${PERSONAL[1]} ${h.server.userToken}` },
						ErrorSourceParam: PERSONAL[2],
					},
				});
				return;
			}
			answer(
				res,
				200,
				withPlanted({
					AccountId: PERSONAL[5],
					Balance: { Amount: 48250.17, Currency: PERSONAL[0] },
				}),
			);
		});
		const invoice = {
			...plantedFields(),
			Id: '3000001001',
			State: 'Held',
			PurchaseOrderId: PERSONAL[4],
			Amount: { Amount: 1234.56, Currency: HOSTILE_SECRETS.shopSecretKey },
			CreationDate: '2026-12-07 10:00:00',
			ChangeDate: '2026-12-07 10:05:00',
			HistoryList: [{ ...plantedFields(), CreationDate: '2026-12-07 10:05:00' }],
		};
		h.server.on('personal/payment/getInvoicesHistory', (_request, res) =>
			answer(res, 200, withPlanted({ InvoicesHistoryList: [invoice] })),
		);
		h.server.on('personal/payout/getOperationState', (_request, res) =>
			answer(
				res,
				200,
				withPlanted({ PayoutOperationId: PERSONAL[6], PayoutOperationState: PERSONAL[8] }),
			),
		);
		const fields = {
			eshopId: '450000',
			orderId: PERSONAL[4],
			serviceName: PERSONAL[0],
			eshopAccount: PERSONAL[5],
			recipientAmount: '1234.56',
			recipientCurrency: 'RUB',
			paymentStatus: '6',
			userName: PERSONAL[0],
			userEmail: PERSONAL[1],
			paymentData: '2026-12-07 10:05:00',
		};
		const hashed = [...Object.values(fields), HOSTILE_SECRETS.shopSecretKey].join('::');
		const hash = createHash('md5').update(hashed, 'utf8').digest('hex');
		const notificationBody = new URLSearchParams({
			...fields,
			shortPan: PERSONAL[3],
			hash,
		}).toString();

		const result = await h.run(golden, {
			items: [
				{
					accountId: '1234567',
					invoiceId: '3000001001',
					payoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
					notificationBody,
				},
			],
		});
		const items = outputJson(result);
		expect(resultsOf(items)).toMatchObject({
			'user-token-sign': 'held',
			'account-info-balance': 'held',
			'invoice-state-words': 'held',
			'payout-state-endpoint': 'held',
			'payout-state-words': 'not held',
			'refusal-error-source-param': 'held',
			'notification-hash-raw': 'held',
		});
		const output = JSON.stringify(items);
		const shown = [...planted, h.server.userToken, hash, '1234567', '3000001001'].filter((value) =>
			[value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)].some((form) =>
				output.includes(form),
			),
		);
		expect(shown).toEqual([]);
		expect(output).toContain('other field');
	});
});
