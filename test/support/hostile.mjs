// @ts-check
/**
 * A hostile IntellectMoney: an HTTP server on 127.0.0.1 that answers each path however a test says,
 * and that ACCEPTS every repeat (each money-moving request it receives counts as money moved), unlike
 * the bundled sandbox, which refuses a second capture. The node's promises must hold by its own logic
 * against such a server: its request log is the judge. It checks no signature and keeps no state of
 * its own beyond what a test's handlers keep.
 *
 * Also runs the node through n8n-core's engine with a credential pointing at it (startHostileHarness),
 * recording everything a user could see, for the secret scan.
 */
import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals';
import { createServer } from 'node:http';

import { createEngine, CREDENTIAL_TYPE, deduplicator } from '../../dev/n8n/engine.mjs';
import { findLeaks, visibleTexts } from './harness.mjs';

/**
 * @typedef {{ path: string, method: string, headers: import('node:http').IncomingHttpHeaders, fields: Record<string, string>, at: number }} LoggedRequest
 * @typedef {(request: LoggedRequest, res: import('node:http').ServerResponse) => void | Promise<void>} Handler
 */

/** IntellectMoney's success envelope around `result` (dev pages "Тело ответа"). @param {Record<string, unknown> | null} result */
export function envelope(result) {
	return {
		OperationState: { Code: 0, Desc: 'Успешно обработана' },
		Result: result === null ? null : { State: { Code: 0, Desc: 'Успешно обработан' }, ...result },
	};
}

/**
 * IntellectMoney's refusal envelope.
 * @param {number} code @param {string} desc @param {string} [param] @param {{ paramOnState?: boolean }} [options]
 */
export function refusal(code, desc, param, options = {}) {
	const state = {
		Code: code,
		Desc: desc,
		...(param && options.paramOnState ? { ErrorSourceParam: param } : {}),
	};
	return {
		OperationState: { Code: 0, Desc: 'Успешно обработана' },
		Result: {
			State: state,
			...(param && !options.paramOnState ? { ErrorSourceParam: param } : {}),
		},
	};
}

/**
 * Writes an answer.
 * @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function answer(res, status, body, headers = {}) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {
		'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
		...headers,
	});
	res.end(text);
}

/** Destroys the connection without an answer (the request was received: it may have been carried out). @param {import('node:http').ServerResponse} res */
export function drop(res) {
	res.socket?.destroy();
}

export async function startHostileServer() {
	/** @type {LoggedRequest[]} */
	const log = [];
	/** @type {Map<string, Handler>} */
	const handlers = new Map();
	const userToken = `HOSTILE-USER-TOKEN-${Math.random().toString(36).slice(2, 12)}`;
	/** @type {Set<import('node:http').ServerResponse>} */
	const open = new Set();

	const server = createServer((req, res) => {
		open.add(res);
		res.on('close', () => open.delete(res));
		const chunks = /** @type {Buffer[]} */ ([]);
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const path = (req.url ?? '/').split('?')[0].replace(/^\/+/, '');
			const fields = Object.fromEntries(
				new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
			);
			/** @type {LoggedRequest} */
			const entry = {
				path,
				method: req.method ?? '',
				headers: req.headers,
				fields,
				at: Date.now(),
			};
			log.push(entry);
			const handler = handlers.get(path);
			try {
				if (handler) await handler(entry, res);
				else if (path === 'personal/user/getUserToken')
					answer(res, 200, envelope({ UserToken: userToken }));
				else answer(res, 404, { error: 'no handler' });
			} catch {
				if (!res.headersSent) answer(res, 500, { error: 'handler failed' });
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = `http://127.0.0.1:${address.port}/`;

	return {
		url,
		log,
		userToken,
		/** @param {string} path @param {Handler} handler */
		on(path, handler) {
			handlers.set(path, handler);
		},
		/** @param {string} path */
		requestsTo(path) {
			return log.filter((entry) => entry.path === path);
		},
		reset() {
			log.length = 0;
			handlers.clear();
		},
		async stop() {
			for (const res of open) res.socket?.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startHostileServer>>} HostileServer */

/** The hostile credential: every value distinct and long enough for the secret scan. */
export const HOSTILE_SECRETS = {
	bearerToken: 'BEARER-hostile-7f3a9c2e51',
	signSecretKey: 'SIGN-hostile-b84d20e6c7',
	shopSecretKey: 'SHOP-hostile-1c9e7a4f03',
	password: 'PASSWORD-hostile-9d2b6e',
};

/** Starts a hostile server and an engine whose credential points at it. */
export async function startHostileHarness() {
	const server = await startHostileServer();
	const credential = {
		eshopId: '450000',
		...HOSTILE_SECRETS,
		login: 'operator@example.com',
		baseUrl: server.url,
		testMode: false,
	};
	const engine = await createEngine({ credentials: { [CREDENTIAL_TYPE]: credential } });
	/** @type {string[]} */
	const seen = [];
	return {
		server,
		engine,
		seen,
		/**
		 * @param {any} workflow
		 * @param {{ items?: Array<Record<string, unknown>>, credentials?: Record<string, unknown> }} [options]
		 */
		async run(workflow, options = {}) {
			engine.setCredentials({ [CREDENTIAL_TYPE]: { ...credential, ...options.credentials } });
			const result = await engine.run(workflow, { items: options.items });
			seen.push(...visibleTexts(result));
			return result;
		},
		/** Which credential values or user tokens appear in what this harness saw. */
		leaks() {
			return findLeaks(seen, [...Object.values(HOSTILE_SECRETS), server.userToken]);
		},
		async stop() {
			await server.stop();
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startHostileHarness>>} HostileHarness */

/**
 * One hostile harness for a test file: started before its tests; after them, everything the file ran
 * (successes and failures) must have shown no credential value or user token, and it is stopped.
 * The returned object is filled in when the harness has started.
 * @returns {HostileHarness}
 */
export function useHostileHarness() {
	const harness = /** @type {HostileHarness} */ ({});
	beforeAll(async () => {
		Object.assign(harness, await startHostileHarness());
	});
	// Each test starts with n8n's deduplication store empty, as on a fresh n8n: a test's runs of one
	// target are "earlier runs" to each other, another test's are not (fixtures share workflow ids).
	beforeEach(() => {
		deduplicator.rows.clear();
	});
	afterAll(async () => {
		expect(harness.leaks()).toEqual([]);
		await harness.stop();
	});
	return harness;
}

/**
 * The one output item of the IntellectMoney node.
 * @param {{ output: (node: string) => Array<{ json: unknown }> }} result
 * @returns {Record<string, any>}
 */
export function onlyItem(result) {
	const items = result.output('IntellectMoney');
	expect(items).toHaveLength(1);
	return /** @type {Record<string, any>} */ (items[0].json);
}
