// @ts-check
/**
 * Engine-test harness: one sandbox and one n8n-core engine per test file, the credential pointing at
 * the sandbox, workflow fixtures, and the secret scan used by every engine test.
 */
import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	createEngine,
	CREDENTIAL_TYPE,
	deduplicator,
	removeEngineUserFolder,
} from '../../dev/n8n/engine.mjs';
import { credentialFor, startSandbox } from '../../dev/sandbox/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox
 * @typedef {Awaited<ReturnType<typeof createEngine>>} Engine
 * @typedef {Awaited<ReturnType<Engine['run']>>} RunResult
 * @typedef {import('../../dev/sandbox/index.mjs').CredentialData} CredentialData
 */

/**
 * Starts a sandbox and an engine whose credential points at it.
 * @param {{ shop?: Partial<import('../../dev/sandbox/index.mjs').ShopConfig> }} [options]
 */
export async function startHarness(options = {}) {
	const sandbox = await startSandbox({ shop: options.shop });
	const engine = await createEngine({
		credentials: { [CREDENTIAL_TYPE]: credentialFor(sandbox) },
	});
	/** Every output and error text seen by this harness, for the secret scan. */
	/** @type {string[]} */
	const seen = [];
	return {
		sandbox,
		engine,
		seen,
		/**
		 * Runs a workflow with `credentials` (default: the right ones) and records what came out.
		 * @param {any} workflow
		 * @param {{ items?: Array<Record<string, unknown>>, credentials?: Partial<CredentialData> & { testMode?: boolean } }} [options]
		 */
		async run(workflow, options = {}) {
			engine.setCredentials({ [CREDENTIAL_TYPE]: credentialFor(sandbox, options.credentials) });
			const result = await engine.run(workflow, { items: options.items });
			seen.push(...visibleTexts(result));
			return result;
		},
		/** Requests the sandbox received for one endpoint. @param {string} endpoint */
		requestsTo(endpoint) {
			return sandbox.log.filter((entry) => entry.endpoint === endpoint);
		},
		async stop() {
			await sandbox.stop();
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startHarness>>} Harness */

/**
 * One harness for an engine test file: started before its tests; after them, everything the file ran
 * (successes and failures) must have shown no credential value or user token (also of the extra
 * credentials the file used), and it is stopped. The returned object is filled in once it started.
 * @param {{ shop?: Partial<import('../../dev/sandbox/index.mjs').ShopConfig>, extraCredentials?: Array<Partial<CredentialData>>, extraSecrets?: string[] }} [options]
 * @returns {Harness}
 */
export function useHarness(options = {}) {
	const harness = /** @type {Harness} */ ({});
	beforeAll(async () => {
		Object.assign(harness, await startHarness({ shop: options.shop }));
	});
	// Each test starts with n8n's deduplication store empty, as on a fresh n8n: a test's runs of one
	// target are "earlier runs" to each other, another test's are not (fixtures share workflow ids).
	beforeEach(() => {
		deduplicator.rows.clear();
	});
	afterAll(async () => {
		const secrets = [
			...secretsOf(harness.sandbox, options.extraCredentials),
			...(options.extraSecrets ?? []),
		];
		expect(findLeaks(harness.seen, secrets)).toEqual([]);
		await harness.stop();
	});
	return harness;
}

/** Reads a workflow fixture from test/engine/workflows/. @param {string} name */
export function loadWorkflow(name) {
	return JSON.parse(
		readFileSync(path.join(here, '..', 'engine', 'workflows', `${name}.json`), 'utf8'),
	);
}

/**
 * A copy of `workflow` with the IntellectMoney node's parameters changed.
 * @param {any} workflow @param {Record<string, unknown>} parameters @param {{ continueOnFail?: boolean }} [options]
 */
export function withParameters(workflow, parameters, options = {}) {
	const copy = structuredClone(workflow);
	const node = copy.nodes.find((/** @type {any} */ n) => n.type.endsWith('.intellectMoney'));
	node.parameters = { ...node.parameters, ...parameters };
	if (options.continueOnFail) node.onError = 'continueRegularOutput';
	return copy;
}

/** Output items of the IntellectMoney node, `json` only. @param {RunResult} result */
export function outputJson(result, nodeName = 'IntellectMoney') {
	return result.output(nodeName).map((item) => item.json);
}

/**
 * Everything a user could see from a run: output items, and the node's error with its message,
 * description, context and cause, as n8n would store and show them.
 * @param {RunResult} result
 */
export function visibleTexts(result) {
	const texts = [JSON.stringify(result.run.data.resultData.runData)];
	for (const error of [
		result.error,
		...Object.keys(result.run.data.resultData.runData).map(result.nodeError),
	]) {
		if (!error) continue;
		const e = /** @type {any} */ (error);
		texts.push(String(e.message), String(e.description ?? ''), String(e.stack ?? ''));
		texts.push(JSON.stringify(e, Object.getOwnPropertyNames(e)));
		texts.push(JSON.stringify(e.cause ?? null), JSON.stringify(e.context ?? null));
	}
	return texts;
}

/**
 * The secret values a credential and a sandbox hold: keys, token, password and every user token.
 * @param {Sandbox} sandbox @param {Array<Partial<CredentialData>>} [extraCredentials]
 */
export function secretsOf(sandbox, extraCredentials = []) {
	const values = [
		sandbox.shop.bearerToken,
		sandbox.shop.signSecretKey,
		sandbox.shop.shopSecretKey,
		sandbox.shop.password,
	];
	for (const credential of extraCredentials) {
		values.push(
			credential.bearerToken ?? '',
			credential.signSecretKey ?? '',
			credential.shopSecretKey ?? '',
			credential.password ?? '',
		);
	}
	values.push(...sandbox.issuedUserTokens());
	return [...new Set(values.filter((value) => value.length >= 6))];
}

/**
 * Which secrets appear in `texts`, in plain, URL-encoded or JSON-escaped form.
 * @param {string[]} texts @param {string[]} secrets
 */
export function findLeaks(texts, secrets) {
	const haystack = texts.join('\n');
	return secrets.filter((secret) =>
		[
			secret,
			encodeURIComponent(secret),
			new URLSearchParams({ s: secret }).toString().slice(2),
			JSON.stringify(secret).slice(1, -1),
		].some((form) => haystack.includes(form)),
	);
}

export { removeEngineUserFolder };
