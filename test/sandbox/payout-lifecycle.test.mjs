// @ts-check
/**
 * The sandbox's payout lifecycle: createOperation (card and SBP), executeOperation, the simulated
 * progress seen through getOperationState, settlePayout, refusals and faults. Signatures come from
 * test/sandbox/client.mjs (the sandbox's recipes, proved by recipes.test.mjs against test/vectors/).
 */
import { describe, test, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { Agent } from 'undici';
import {
	DEFAULT_SHOP,
	FAILING_PAYOUT_PAN,
	FAILING_RECIPIENT_NAME,
	startSandbox,
} from '../../dev/sandbox/index.mjs';
import {
	PAYOUT,
	PAYOUT_CREATE,
	PAYOUT_STATE,
	TOKEN,
	createOperationSign,
	payoutSign,
	post,
	tokenSign,
} from './client.mjs';

/** @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox */

/** @type {Sandbox} */
let sb;
const agent = new Agent();

beforeAll(async () => {
	sb = await startSandbox();
});

afterAll(async () => {
	await sb.stop();
	await agent.close();
});

beforeEach(() => {
	sb.clearLog();
	sb.clearFaults();
});

const last = () => sb.log[sb.log.length - 1];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const VALID_CARD = '4111111111111111'; // Luhn-valid

/** getUserToken with the shop's credentials. @param {Sandbox} [s] */
async function userToken(s = sb) {
	const { login, password } = DEFAULT_SHOP;
	const r = await post(
		s.url,
		TOKEN,
		{ Login: login, Password: password },
		{ dispatcher: agent, sign: tokenSign(login, password) },
	);
	return /** @type {string} */ (r.json.Result.UserToken);
}

/**
 * createOperation, a card payout of 500.00 RUB by default, correctly signed unless `sign` is given.
 * @param {string} token
 * @param {Record<string, string>} [fields]
 * @param {{ sign?: string, base?: string }} [o]
 */
async function createOperation(token, fields = {}, o = {}) {
	/** @type {Record<string, string>} */
	const body = {
		UserToken: token,
		PreferenceType: 'OutBankCard',
		Pan: VALID_CARD,
		Amount: '500.00',
		Currency: 'RUB',
		RecipientName: 'Иван Петров',
		EshopId: '450000',
		...fields,
	};
	for (const [name, value] of Object.entries(body)) if (value === '') delete body[name];
	return post(o.base ?? sb.url, PAYOUT_CREATE, body, {
		dispatcher: agent,
		sign: o.sign ?? createOperationSign(body),
	});
}

/** @param {string} token @param {string} opId @param {Sandbox} [s] */
async function execute(token, opId, s = sb) {
	return post(
		s.url,
		PAYOUT,
		{ UserToken: token, PayoutOperationId: opId },
		{ dispatcher: agent, sign: payoutSign(token, opId) },
	);
}

/** The PayoutOperationState (and ErrorMessage) a read answers. @param {string} token @param {string} opId @param {Sandbox} [s] */
async function readState(token, opId, s = sb) {
	const r = await post(
		s.url,
		PAYOUT_STATE,
		{ UserToken: token, PayoutOperationId: opId },
		{ dispatcher: agent, sign: payoutSign(token, opId) },
	);
	return r.json.Result;
}

describe('createOperation', () => {
	test('card payout: a new GUID in state Created, known to getOperationState and executeOperation', async () => {
		const token = await userToken();
		const r = await createOperation(token);
		expect(r.status).toBe(200);
		expect(r.json.OperationState).toEqual({ Code: 0, Desc: 'Успешно обработана' });
		expect(r.json.EshopId).toBeNull(); // Payout API: the envelope names no shop
		expect(r.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: expect.stringMatching(GUID),
			PayoutOperationState: 'Created',
		});
		expect(last()).toMatchObject({
			endpoint: PAYOUT_CREATE,
			authValid: true,
			signValid: true,
			hashValid: null,
			verdict: 'accepted',
		});
		const id = r.json.Result.PayoutOperationId;
		expect(sb.getPayoutOperation(id)).toMatchObject({
			id,
			amount: '500.00',
			state: 'Created',
			executions: 0,
			recipient: {
				preferenceType: 'OutBankCard',
				pan: VALID_CARD,
				account: '',
				bankId: '',
				currency: 'RUB',
				recipientName: 'Иван Петров',
			},
		});
		expect(sb.ledger().payoutExecutions[id]).toBe(0);
		expect((await readState(token, id)).PayoutOperationState).toBe('Created');
		const second = await createOperation(token);
		expect(second.json.Result.PayoutOperationId).not.toBe(id);
	});

	test('SBP payout to a phone and a bank; EshopId may be left out; TST currency accepted', async () => {
		const token = await userToken();
		const r = await createOperation(token, {
			PreferenceType: 'OutSbp',
			Pan: '',
			Account: '79161234567',
			BankId: '100000000004',
			Currency: 'TST',
			EshopId: '',
		});
		expect(r.json.Result.State.Code).toBe(0);
		expect(sb.getPayoutOperation(r.json.Result.PayoutOperationId)?.recipient).toEqual({
			preferenceType: 'OutSbp',
			pan: '',
			account: '79161234567',
			bankId: '100000000004',
			currency: 'TST',
			recipientName: 'Иван Петров',
		});
	});

	test('bad fields: each refused with Code 3 naming the field; no operation created', async () => {
		const token = await userToken();
		/** @type {Array<[Record<string, string>, string]>} */
		const cases = [
			[{ PreferenceType: 'OutQiwi' }, 'PreferenceType'],
			[{ PreferenceType: '' }, 'PreferenceType'],
			[{ Pan: '4111111111111112' }, 'Pan'], // Luhn fails
			[{ Pan: '411111111111' }, 'Pan'], // 12 digits
			[{ Pan: '41111111111111111111' }, 'Pan'], // 20 digits
			[{ Pan: '4111 1111 1111 1111' }, 'Pan'],
			[{ Pan: '' }, 'Pan'],
			[{ Account: '79161234567' }, 'Account'], // SBP field on a card payout
			[{ BankId: '100000000004' }, 'BankId'],
			[{ PreferenceType: 'OutSbp', Account: '79161234567', BankId: '1' }, 'Pan'],
			[{ PreferenceType: 'OutSbp', Pan: '', Account: '89161234567', BankId: '1' }, 'Account'],
			[{ PreferenceType: 'OutSbp', Pan: '', Account: '7916123456', BankId: '1' }, 'Account'],
			[{ PreferenceType: 'OutSbp', Pan: '', Account: '+79161234567', BankId: '1' }, 'Account'],
			[{ PreferenceType: 'OutSbp', Pan: '', BankId: '1' }, 'Account'],
			[{ PreferenceType: 'OutSbp', Pan: '', Account: '79161234567' }, 'BankId'],
			[{ Amount: '0.00' }, 'Amount'],
			[{ Amount: '100' }, 'Amount'],
			[{ Amount: '1.5' }, 'Amount'],
			[{ Amount: '-1.00' }, 'Amount'],
			[{ Amount: '' }, 'Amount'],
			[{ Currency: 'USD' }, 'Currency'],
			[{ Currency: '' }, 'Currency'],
			[{ RecipientName: '' }, 'RecipientName'],
			[{ EshopId: '450001' }, 'EshopId'],
		];
		const before = Object.keys(sb.ledger().payoutExecutions).length;
		for (const [fields, param] of cases) {
			const r = await createOperation(token, fields);
			expect([fields, r.json.OperationState.Code]).toEqual([fields, 0]);
			expect([fields, r.json.Result.State.Code, r.json.Result.ErrorSourceParam]).toEqual([
				fields,
				3,
				param,
			]);
			expect(last().verdict).toBe('refused');
		}
		expect(Object.keys(sb.ledger().payoutExecutions)).toHaveLength(before);
	});

	test('wrong Sign (other key, EshopId segment dropped, executeOperation recipe), unknown and expired token', async () => {
		const s = await startSandbox({ userTokenTtlMs: 60_000 });
		try {
			const token = await userToken(s);
			/** @type {Record<string, string>} */
			const fields = {
				UserToken: token,
				PreferenceType: 'OutBankCard',
				Pan: VALID_CARD,
				Amount: '500.00',
				Currency: 'RUB',
				RecipientName: 'Иван Петров',
				EshopId: '450000',
			};
			const withoutEshop = { ...fields, EshopId: '' };
			for (const sign of [
				createOperationSign(fields, 'WRONGKEY'),
				createOperationSign(withoutEshop),
				payoutSign(token, VALID_CARD),
			]) {
				const r = await createOperation(token, {}, { sign, base: s.url });
				expect(r.json.OperationState).toEqual({ Code: 2, Desc: 'Неверная подпись запроса (Sign)' });
				expect(r.json.Result.ErrorSourceParam).toBe('Sign');
			}
			const unknown = await createOperation('never-issued', {}, { base: s.url });
			expect(unknown.json.Result).toEqual({
				State: { Code: 2, Desc: 'Токен пользователя недействителен или истёк' },
				ErrorSourceParam: 'UserToken',
			});
			s.expireUserTokens();
			const expired = await createOperation(token, {}, { base: s.url });
			expect(expired.json.OperationState.Code).toBe(2);
			expect(expired.json.Result.ErrorSourceParam).toBe('UserToken');
			expect(s.log.every((e) => e.endpoint === TOKEN || e.verdict === 'refused')).toBe(true);
			expect(s.ledger().payoutExecutions).toEqual({});
		} finally {
			await s.stop();
		}
	});
});

describe('payout progress', () => {
	test('execute → InProcess; two reads still InProcess, the third Completed, and it stays so', async () => {
		const token = await userToken();
		const id = (await createOperation(token)).json.Result.PayoutOperationId;
		const executed = await execute(token, id);
		expect(executed.json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: id,
			PayoutOperationState: 'InProcess',
		});
		/** @type {string[]} */
		const seen = [];
		for (let i = 0; i < 5; i++) seen.push((await readState(token, id)).PayoutOperationState);
		expect(seen).toEqual(['InProcess', 'InProcess', 'Completed', 'Completed', 'Completed']);
		expect(await readState(token, id)).not.toHaveProperty('ErrorMessage');
		expect(sb.ledger().payoutExecutions[id]).toBe(1);
		const again = await execute(token, id);
		expect(again.json.Result.State.Code).toBe(5);
		expect(sb.ledger().payoutExecutions[id]).toBe(1);
	});

	test('reads before execution do not count; recipient FAIL and the failing card end Failed with ErrorMessage', async () => {
		const token = await userToken();
		const byName = (await createOperation(token, { RecipientName: FAILING_RECIPIENT_NAME })).json
			.Result.PayoutOperationId;
		const byCard = (await createOperation(token, { Pan: FAILING_PAYOUT_PAN })).json.Result
			.PayoutOperationId;
		for (let i = 0; i < 3; i++) {
			expect((await readState(token, byName)).PayoutOperationState).toBe('Created');
		}
		for (const id of [byName, byCard]) {
			expect((await execute(token, id)).json.Result.PayoutOperationState).toBe('InProcess');
			expect((await readState(token, id)).PayoutOperationState).toBe('InProcess');
			expect((await readState(token, id)).PayoutOperationState).toBe('InProcess');
		}
		expect(await readState(token, byName)).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			PayoutOperationId: byName,
			PayoutOperationState: 'Failed',
			ErrorMessage: 'Платеж не прошел в банке',
		});
		expect(await readState(token, byCard)).toMatchObject({
			PayoutOperationState: 'Failed',
			ErrorMessage: 'Карта получателя отклонена банком',
		});
	});

	test('payoutSettleAfterReads: 0 settles at the first read, 4 after four; bad values throw', async () => {
		for (const [after, expected] of /** @type {Array<[number, string[]]>} */ ([
			[0, ['Completed', 'Completed']],
			[4, ['InProcess', 'InProcess', 'InProcess', 'InProcess', 'Completed']],
		])) {
			const s = await startSandbox({ payoutSettleAfterReads: after });
			try {
				const token = await userToken(s);
				const created = await createOperation(token, {}, { base: s.url });
				const id = created.json.Result.PayoutOperationId;
				await execute(token, id, s);
				/** @type {string[]} */
				const seen = [];
				for (let i = 0; i < expected.length; i++) {
					seen.push((await readState(token, id, s)).PayoutOperationState);
				}
				expect([after, seen]).toEqual([after, expected]);
			} finally {
				await s.stop();
			}
		}
		await expect(startSandbox({ payoutSettleAfterReads: -1 })).rejects.toThrow(TypeError);
		await expect(startSandbox({ payoutSettleAfterReads: 1.5 })).rejects.toThrow(TypeError);
	});

	test('operations added with addPayoutOperation keep their fixed outcome through any number of reads', async () => {
		const token = await userToken();
		const seeded = sb.addPayoutOperation();
		await execute(token, seeded.id);
		for (let i = 0; i < 5; i++) {
			expect((await readState(token, seeded.id)).PayoutOperationState).toBe('InProcess');
		}
		expect(seeded.progress).toBeNull();
	});

	test('settlePayout ends an InProcess operation by hand; anything else throws', async () => {
		const token = await userToken();
		const id = (await createOperation(token)).json.Result.PayoutOperationId;
		expect(() => sb.settlePayout(id, 'Completed')).toThrow(/is Created/);
		await execute(token, id);
		const op = sb.settlePayout(id.toUpperCase(), 'Failed', 'Банк получателя недоступен');
		expect(op).toBe(sb.getPayoutOperation(id));
		expect(await readState(token, id)).toMatchObject({
			PayoutOperationState: 'Failed',
			ErrorMessage: 'Банк получателя недоступен',
		});
		// Settled: further reads do not move it to the simulated final state.
		expect((await readState(token, id)).PayoutOperationState).toBe('Failed');
		expect((await readState(token, id)).PayoutOperationState).toBe('Failed');
		expect(() => sb.settlePayout(id, 'Completed')).toThrow(/is Failed/);

		const seeded = sb.addPayoutOperation();
		await execute(token, seeded.id);
		expect(sb.settlePayout(seeded.id, 'Completed').state).toBe('Completed');
		expect((await readState(token, seeded.id)).PayoutOperationState).toBe('Completed');
		expect(() => sb.settlePayout('11111111-2222-4333-8444-555555555555', 'Completed')).toThrow(
			TypeError,
		);
		const other = sb.addPayoutOperation();
		await execute(token, other.id);
		expect(() =>
			sb.settlePayout(other.id, /** @type {'Completed'} */ (/** @type {unknown} */ ('Done'))),
		).toThrow(/Completed or Failed/);
	});
});

describe('faults on createOperation', () => {
	test('reset: nothing created; applyThenDrop: created, no answer, and the client never learns the id', async () => {
		const token = await userToken();
		const count = () => Object.keys(sb.ledger().payoutExecutions).length;
		const before = count();
		sb.injectFaults({ kind: 'reset', endpoint: PAYOUT_CREATE });
		await expect(createOperation(token)).rejects.toThrow();
		expect(count()).toBe(before);
		sb.injectFaults({ kind: 'applyThenDrop', endpoint: PAYOUT_CREATE });
		await expect(createOperation(token)).rejects.toThrow();
		expect(count()).toBe(before + 1);
		expect(last()).toMatchObject({ fault: 'applyThenDrop', verdict: 'accepted' });
		expect(last().response).toMatchObject({ Result: { PayoutOperationState: 'Created' } });
	});
});
