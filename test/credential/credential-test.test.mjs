// @ts-check
/**
 * The credential's `test` (what n8n's "Test" button sends) against the sandbox, and the package
 * entry `index.js`. n8n's credential tester resolves the request's expressions, applies
 * `authenticate`, sends it and fails the test when a rule matches; this does the same steps with
 * the built package, so a wrong token, key or password is reported and a right one is not.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import { request } from 'undici';

import { credentialFor, startSandbox } from '../../dev/sandbox/index.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../../index.js')} */
const pkg = require('../../index.js');

/** @type {import('../../dev/sandbox/index.mjs').Sandbox} */
let sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.stop();
});

/**
 * Runs the credential's test request the way n8n's credential tester does; returns the failure
 * message of the first matching rule, or undefined when the credential passes.
 * @param {Record<string, string>} credentials
 */
async function runCredentialTest(credentials) {
	const credentialType = new pkg.IntellectMoneyApi();
	const testRequest = /** @type {any} */ (credentialType.test).request;
	const resolved = {
		...testRequest,
		baseURL: String(testRequest.baseURL).replace('={{$credentials.baseUrl}}', credentials.baseUrl),
	};
	const signed = await credentialType.authenticate(credentials, resolved);
	const response = await request(new URL(signed.url, signed.baseURL), {
		method: /** @type {any} */ (signed.method),
		headers: /** @type {Record<string, string>} */ (signed.headers),
		body: /** @type {string} */ (signed.body),
	});
	const body = /** @type {any} */ (await response.body.json());
	for (const rule of /** @type {any[]} */ (credentialType.test.rules)) {
		const value = rule.properties.key
			.split('.')
			.reduce((/** @type {any} */ at, /** @type {string} */ key) => at?.[key], body);
		if (value === rule.properties.value) return rule.properties.message;
	}
	return undefined;
}

describe('credential test', () => {
	test('passes with the right token, keys, login and password, with one signed request', async () => {
		sandbox.clearLog();
		expect(await runCredentialTest(credentialFor(sandbox))).toBeUndefined();
		expect(sandbox.log.map((entry) => [entry.endpoint, entry.verdict, entry.signValid])).toEqual([
			['personal/user/getUserToken', 'accepted', true],
		]);
	});

	// The failure names the field IntellectMoney's answer names (ErrorSourceParam), not all four.
	test.each([
		[
			'Bearer Token',
			{ bearerToken: 'wrong-bearer' },
			'IntellectMoney refused the Bearer Token: check the Bearer Token',
		],
		[
			'Sign Secret Key',
			{ signSecretKey: 'wrong-sign-key' },
			'IntellectMoney refused the signature: check the Sign Secret Key (not the Shop Secret Key)',
		],
		[
			'Password',
			{ password: 'wrong-password' },
			'IntellectMoney refused the Login (its answer names Login): check Login and Password',
		],
		[
			'Login',
			{ login: 'someone-else@example.com' },
			'IntellectMoney refused the Login (its answer names Login): check Login and Password',
		],
	])(
		'fails with a wrong %s, naming the field IntellectMoney names',
		async (_field, override, message) => {
			expect(await runCredentialTest(credentialFor(sandbox, override))).toBe(message);
		},
	);

	test('a refusal that names no field lists the four fields the test proves', async () => {
		const credentialType = new pkg.IntellectMoneyApi();
		const rules = /** @type {any[]} */ (credentialType.test.rules);
		const body = { OperationState: { Code: 0 }, Result: { State: { Code: 5, Desc: 'Ошибка' } } };
		const matched = rules.find((rule) => {
			const value = rule.properties.key
				.split('.')
				.reduce((/** @type {any} */ at, /** @type {string} */ key) => at?.[key], body);
			return value === rule.properties.value;
		});
		expect(matched?.properties.message).toBe(
			'IntellectMoney refused the credentials without naming a field: check the Bearer Token, Sign Secret Key, Login and Password',
		);
	});

	test('only this package’s nodes may use it (no HTTP Request node, no Custom API Call)', () => {
		expect(new pkg.IntellectMoneyApi().restrictToSupportedNodes).toBe(true);
	});
});

describe('package entry index.js', () => {
	test('exports the node, the credential and the signing helpers that sign like the node', () => {
		expect(new pkg.IntellectMoney().description.name).toBe('intellectMoney');
		expect(new pkg.IntellectMoneyApi().name).toBe('intellectMoneyApi');
		expect(pkg.ENDPOINTS.capturePurchase).toBe('merchant/purchaseToPaid');
		expect(
			pkg.computeSign(
				'merchant/purchaseToPaid',
				{ EshopId: '450000', OrderId: 'order-42' },
				'SIGNSECRET',
			),
		).toBe('a716062543a46b303cb7c61e77bb6f91ffa5de73616a6d4227806ca6a0b23172');
		expect(
			pkg.md5Hex(pkg.buildSignatureString(['450000', 'order-42', 'ToPaid'], 'SHOPSECRET')),
		).toBe('02b97afdd4e6b246f11c4eda6116018e');
		expect(typeof pkg.signIntellectMoneyRequest).toBe('function');
		expect(
			pkg.describeRecipe(pkg.SIGNED_FIELDS['personal/payout/executeOperation'].sign, 'key'),
		).toBe('UserToken::PayoutOperationId::<key>');
	});
});
