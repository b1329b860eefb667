// @ts-check
/**
 * No secret ever leaves the credential: runs successes, refusals, bad input and Continue On Fail with
 * n8n's logger at debug level, captures every output item, error (message, description, stack, cause,
 * context) and everything written to stdout, stderr and the console, and looks for every credential
 * value and user token in plain, URL-encoded and JSON-escaped form.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

// n8n's logger reads its level when the engine starts: log everything this file does.
const logLevelBefore = process.env.N8N_LOG_LEVEL;
process.env.N8N_LOG_LEVEL = 'debug';
const { findLeaks, loadWorkflow, secretsOf, useHarness, withParameters } = await import(
	'../support/harness.mjs'
);

/** @type {string[]} */
const written = [];
/** @type {Array<() => void>} */
const restore = [];

const h = useHarness();
beforeAll(async () => {
	// winston (n8n's logger) writes to console._stdout/_stderr when they exist, as under jest: those
	// debug lines are only recorded; what goes to the process's own streams is recorded and passed on.
	const anyConsole = /** @type {any} */ (console);
	/** @type {Array<[any, boolean]>} */
	const streams = [
		[process.stdout, true],
		[process.stderr, true],
		[anyConsole._stdout, false],
		[anyConsole._stderr, false],
	];
	const wrapped = new Set();
	for (const [stream, passOn] of streams) {
		// Outside jest console._stdout is process.stdout itself: wrap each stream once.
		if (!stream || wrapped.has(stream)) continue;
		wrapped.add(stream);
		const original = stream.write;
		stream.write = /** @type {any} */ (
			function (/** @type {any} */ chunk, /** @type {any[]} */ ...rest) {
				written.push(String(chunk));
				return passOn ? original.call(stream, chunk, ...rest) : true;
			}
		);
		restore.push(() => (stream.write = original));
	}
	for (const method of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug'])) {
		const original = console[method];
		console[method] = (...args) => {
			written.push(
				args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '),
			);
		};
		restore.push(() => (console[method] = original));
	}
});

afterAll(async () => {
	restore.forEach((undo) => undo());
	if (logLevelBefore === undefined) delete process.env.N8N_LOG_LEVEL;
	else process.env.N8N_LOG_LEVEL = logLevelBefore;
});

const wrongKeys = {
	signSecretKey: 'WRONG-SIGN-KEY-1',
	shopSecretKey: 'WRONG-SHOP-KEY-1',
	bearerToken: 'WRONG-BEARER-1',
	password: 'WRONG-PASSWORD-1',
};

describe('the secret scan', () => {
	test('finds a planted secret in each form (the scanner itself works)', () => {
		const secret = 'p@ss/word+"1"';
		expect(findLeaks([`x ${secret} y`], [secret])).toEqual([secret]);
		expect(findLeaks([`x=${encodeURIComponent(secret)}`], [secret])).toEqual([secret]);
		expect(findLeaks([new URLSearchParams({ x: secret }).toString()], [secret])).toEqual([secret]);
		expect(findLeaks([JSON.stringify({ x: secret })], [secret])).toEqual([secret]);
		expect(findLeaks(['nothing here'], [secret])).toEqual([]);
	});

	test('no credential value or user token in any output, error or log line of a whole session', async () => {
		const capture = loadWorkflow('capture-by-order-id');
		const captureRaw = withParameters(
			capture,
			{ options: { includeRaw: true } },
			{ continueOnFail: true },
		);
		const payout = loadWorkflow('payout-execute');
		const payoutRaw = withParameters(
			payout,
			{ options: { includeRaw: true } },
			{ continueOnFail: true },
		);
		const op = () => ({ payoutOperationId: h.sandbox.addPayoutOperation().id });
		const order = () => ({ orderId: h.sandbox.addInvoice().orderId });

		await h.run(captureRaw, { items: [order(), { orderId: 'missing' }, { orderId: '' }, order()] });
		await h.run(capture, {
			items: [order()],
			credentials: { signSecretKey: wrongKeys.signSecretKey },
		});
		await h.run(capture, {
			items: [order()],
			credentials: { shopSecretKey: wrongKeys.shopSecretKey },
		});
		await h.run(capture, { items: [order()], credentials: { bearerToken: wrongKeys.bearerToken } });
		await h.run(payoutRaw, { items: [op(), op(), { payoutOperationId: 'not-a-guid' }] });
		await h.run(payoutRaw, { items: [op()], credentials: { password: wrongKeys.password } });
		await h.run(payout, { items: [op()], credentials: { signSecretKey: wrongKeys.signSecretKey } });
		let expired = false;
		h.sandbox.onRequest((entry) => {
			if (entry.endpoint === 'personal/user/getUserToken' && !expired) {
				expired = true;
				h.sandbox.expireUserTokens();
			}
		});
		await h.run(payoutRaw, { items: [op()] });
		h.sandbox.onRequest(undefined);
		// A token answer cut off three times in a row (the token was issued, the answer lost).
		h.sandbox.injectFaults({ endpoint: 'personal/user/getUserToken', kind: 'truncated', count: 3 });
		const cut = await h.run(payoutRaw, { items: [op()] });
		expect(String(cut.output('IntellectMoney')[0]?.json.error)).toContain('IntellectMoney');
		// Lost and refused payouts read the state with the token; the error paths quote answers.
		h.sandbox.injectFaults({ endpoint: 'personal/payout/executeOperation', kind: 'xml', count: 3 });
		h.sandbox.injectFaults({
			endpoint: 'personal/payout/getOperationState',
			kind: 'http502',
			count: 3,
		});
		await h.run(payoutRaw, { items: [op()] });
		h.sandbox.clearFaults();

		const secrets = secretsOf(h.sandbox, [wrongKeys]);
		expect(h.sandbox.issuedUserTokens().length).toBeGreaterThanOrEqual(3);
		// The scan saw what a user sees: outputs, refusals and n8n's own log lines.
		expect(h.seen.join('\n')).toContain('IntellectMoney says: ');
		expect(written.join('\n')).toContain('IntellectMoney says: ');
		expect(findLeaks([...h.seen, ...written], secrets)).toEqual([]);
	});
});
