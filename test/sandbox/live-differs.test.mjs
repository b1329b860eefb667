// @ts-check
/**
 * dev/sandbox/live-differs.mjs: each switch changes the one answer it names (and only with it on),
 * an unknown switch is refused, the ledger is untouched, and `npm run sandbox -- --live-differs`
 * turns them on from the command line.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Agent } from 'undici';

import { PROJECT_ROOT } from '../../dev/paths.mjs';
import { startSandbox } from '../../dev/sandbox/index.mjs';
import {
	ACCOUNT,
	HISTORY,
	PAYOUT_STATE,
	accountSign,
	historySign,
	payoutSign,
	post,
} from './client.mjs';

/** @type {import('../../dev/sandbox/index.mjs').Sandbox} */
let sb;
const agent = new Agent({ keepAliveTimeout: 10 });
/** @type {string} */
let token;

beforeAll(async () => {
	sb = await startSandbox({ liveDiffers: ['noOperationState'] });
	token = sb.issueUserToken();
});
afterAll(async () => {
	await sb.stop();
	await agent.close();
});
beforeEach(() => sb.playLiveDiffers([]));

/** @param {string} id */
const payoutState = async (id) =>
	await post(
		sb.url,
		PAYOUT_STATE,
		{ UserToken: token, PayoutOperationId: id },
		{ dispatcher: agent, sign: payoutSign(token, id) },
	);
/** @param {string} accountId */
const accountData = async (accountId) => {
	const fields = { UserToken: token, AccountId: accountId };
	return await post(sb.url, ACCOUNT, fields, { dispatcher: agent, sign: accountSign(fields) });
};

test('startSandbox takes the switches; playLiveDiffers replaces them; unknown ones are refused', async () => {
	const sandbox = await startSandbox({ liveDiffers: ['noOperationState'] });
	try {
		const id = sandbox.addPayoutOperation().id;
		const fields = { UserToken: sandbox.issueUserToken(), PayoutOperationId: id };
		const sign = payoutSign(fields.UserToken, id);
		expect(
			(await post(sandbox.url, PAYOUT_STATE, fields, { dispatcher: agent, sign })).status,
		).toBe(404);
		sandbox.playLiveDiffers([]);
		const answer = await post(sandbox.url, PAYOUT_STATE, fields, { dispatcher: agent, sign });
		expect(answer.json.Result.PayoutOperationState).toBe('Created');
	} finally {
		await sandbox.stop();
	}
	expect(() => sb.playLiveDiffers(['noSuchSwitch'])).toThrow(
		/unknown liveDiffers switch noSuchSwitch/,
	);
	await expect(startSandbox({ liveDiffers: ['noSuchSwitch'] })).rejects.toThrow(TypeError);
});

describe('each switch changes its one answer', () => {
	test('noOperationState: HTTP 404 for getOperationState only', async () => {
		const op = sb.addPayoutOperation();
		sb.playLiveDiffers(['noOperationState']);
		expect((await payoutState(op.id)).json).toEqual({ error: 'unknown endpoint' });
		expect((await accountData('0')).status).toBe(200);
	});

	test('operationStateNoMethod: the envelope says the method does not exist', async () => {
		const op = sb.addPayoutOperation();
		sb.playLiveDiffers(['operationStateNoMethod']);
		const { status, json } = await payoutState(op.id);
		expect(status).toBe(200);
		expect(json).toMatchObject({
			OperationState: { Code: 2, Desc: 'Метод не найден' },
			Result: null,
		});
	});

	test('accountFieldNames: AccountInfoData under other names; refusals unchanged', async () => {
		const account = sb.addAccount({ balance: '10.00' });
		sb.playLiveDiffers(['accountFieldNames']);
		expect((await accountData(account.accountId)).json.Result).toEqual({
			State: { Code: 0, Desc: 'Успешно обработан' },
			AccountNumber: account.accountId,
			AvailableBalance: 10,
			CurrencyCode: 'RUB',
		});
		expect((await accountData('0')).json.Result).toMatchObject({ ErrorSourceParam: 'AccountId' });
	});

	test('dateFormat: getInvoicesHistory writes dd.MM.yyyy HH:mm:ss', async () => {
		const invoice = sb.addInvoice({ state: 'Held', createdAt: Date.UTC(2026, 11, 7, 7, 0, 0) });
		sb.playLiveDiffers(['dateFormat']);
		const fields = {
			UserToken: token,
			Skip: '0',
			Take: '1',
			InvoiceId: invoice.invoiceId,
			IncludePaymentTransactions: 'True',
		};
		const { json } = await post(sb.url, HISTORY, fields, {
			dispatcher: agent,
			sign: historySign(fields),
		});
		const [entry] = json.Result.InvoicesHistoryList;
		expect(entry.CreationDate).toBe('07.12.2026 10:00:00');
		expect(entry.HistoryList[0].CreationDate).toBe('07.12.2026 10:00:00');
	});

	test('refusalShape: a refusal without Result, naming the field in Errors', async () => {
		sb.playLiveDiffers(['refusalShape']);
		const { json } = await accountData('0');
		expect(json).toMatchObject({
			OperationState: { Code: 2, Desc: 'Счёт не найден' },
			Result: null,
			Errors: [{ Field: 'AccountId', Message: 'Счёт не найден' }],
		});
	});

	test('no switch moves money or changes the ledger', async () => {
		const before = sb.ledger();
		sb.playLiveDiffers(['noOperationState', 'accountFieldNames', 'dateFormat', 'refusalShape']);
		await payoutState(sb.addPayoutOperation().id);
		await accountData('0');
		const after = sb.ledger();
		expect(after.payoutExecutions).toMatchObject(before.payoutExecutions);
		expect(after).toEqual({ ...before, payoutExecutions: after.payoutExecutions });
	});
});

test('npm run sandbox -- --live-differs a,b prints the switches it plays', async () => {
	const cli = path.join(PROJECT_ROOT, 'dev', 'sandbox', 'cli.mjs');
	const child = spawn(process.execPath, [
		cli,
		'--port',
		'0',
		'--live-differs',
		'dateFormat,refusalShape',
	]);
	let stdout = '';
	try {
		await new Promise((resolve, reject) => {
			child.stdout.on('data', (chunk) => {
				stdout += chunk;
				if (stdout.includes('Ctrl+C stops.')) resolve(undefined);
			});
			child.once('exit', () => reject(new Error(`sandbox CLI exited: ${stdout}`)));
		});
	} finally {
		child.kill('SIGTERM');
	}
	expect(stdout).toContain('Live API differs (live-differs.mjs): dateFormat, refusalShape');
});
