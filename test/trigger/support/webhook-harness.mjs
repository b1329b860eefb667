// @ts-check
/**
 * Runs the IntellectMoney Trigger the way n8n's webhook server does, outside n8n:
 * - a real HTTP server on 127.0.0.1; each request gets what n8n's body parser gives a version-1 node:
 *   `rawBody` (the bytes), `body` (querystring for forms, JSON), `contentType`, `ip`;
 * - n8n-core's real `WebhookContext` (credentials through a credentials helper that runs the
 *   credential's real `authenticate`, node parameters with their defaults), then the node's `webhook()`;
 * - n8n's answer rules: `noWebhookResponse` → the node answered itself; no `workflowData` → send
 *   `webhookResponse`; else start the execution (n8n-core's `WorkflowExecute`, through dev/n8n/engine.mjs,
 *   mode `webhook`, so the trigger's own `execute()` runs first as in n8n) and answer as responseMode
 *   `onReceived` does (with n8n's choice of body: the description's `responseData`, else
 *   `webhookResponse`). A string is sent the way Express's `res.send` does (text/html unless a
 *   Content-Type was set).
 * - the workflow's static data as n8n keeps it, per line (`n8nLine`, default '2.x'):
 *   · every request loads it afresh from the "database" (`null` until anything was saved), and the
 *     webhook's `Workflow` is built on that object (n8n 2.41.1 live-webhooks.js executeWebhook);
 *   · a request that starts nothing saves the webhook's static data if `__dataChanged`
 *     (the response callback);
 *   · a request that starts an execution, on 2.x: `WorkflowRunner.run` first builds a second
 *     `Workflow` on the same object (workflow-runner.js establishContextForPersistence), which resets
 *     `__dataChanged` (n8n-workflow observable-object.js), then loads the static data again for the
 *     execution (prepareNewExecution), starts it, and only then saves the webhook's static data;
 *     on 1.x (1.123.81 webhook-helpers.js) the webhook's static data is saved first, then the
 *     execution loads it again (runMainProcess);
 *   · when the execution ends, its static data is saved if it changed (workflowExecuteAfter).
 *   `restart()` forgets the trigger's in-process memory, as a restart of n8n does.
 * What it does not model: it answers once the execution has ENDED (n8n 2.x answers once it is
 * created, 1.x before it is created), so tests can read the outcome at once; the saves keep n8n's
 * order. Options → Answer OK → When Respond to Webhook Answers (responseMode responseNode) is answered
 * the same way: what n8n answers then is proven in real n8n (test/e2e/trigger.e2e.mjs, test/queue/). On 1.x the execution's reload can, in n8n, also happen before the webhook's save (a race);
 * here it always comes after. `postAtOnce` lets every request arrive before any reads the database,
 * so each loads the same static data (n8n's database read is I/O: requests at once interleave there).
 * Activation runs the node's `webhookMethods` through n8n-core's real `HookContext`.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseQueryString } from 'node:querystring';

import {
	createEngine,
	CREDENTIAL_TYPE,
	deduplicator,
	PACKAGE_NAME,
	removeEngineUserFolder,
} from '../../../dev/n8n/engine.mjs';
import { PROJECT_ROOT } from '../../../dev/paths.mjs';
import { SHOP } from './notifications.mjs';

const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));
/** @type {typeof import('n8n-core')} */
const core = require('n8n-core');
/** @type {typeof import('n8n-workflow')} */
const workflowLib = require('n8n-workflow');

export const TRIGGER_TYPE = `${PACKAGE_NAME}.intellectMoneyTrigger`;
export const TRIGGER_NAME = 'IntellectMoney Trigger';

/** The credential of these tests: the shop's keys (the API fields are used only by Confirm Invoice ID). */
export const TRIGGER_CREDENTIAL = {
	eshopId: SHOP.eshopId,
	bearerToken: 'BEARER-TOKEN-not-used-by-the-trigger',
	signSecretKey: 'SIGN-SECRET-not-used-by-the-trigger',
	shopSecretKey: SHOP.shopSecretKey,
	login: '',
	password: '',
	baseUrl: 'https://api.intellectmoney.ru/',
};

/**
 * A workflow with only the trigger, as it is imported into n8n.
 * @param {Record<string, unknown>} parameters
 */
export function triggerWorkflow(parameters) {
	return {
		name: 'IntellectMoney notifications',
		nodes: [
			{
				id: 'c1d2e3f4-0000-4000-8000-000000000001',
				name: TRIGGER_NAME,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: '6a0f2c5e-1b7d-4c3a-9e8f-2d4b6a8c0e11',
				parameters,
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'IntellectMoney account' } },
			},
		],
		connections: {},
	};
}

/**
 * The workflow with `nodes` chained after its trigger.
 * @param {ReturnType<typeof triggerWorkflow>} workflow @param {Array<Record<string, unknown>>} nodes
 */
export function withDownstream(workflow, nodes) {
	/** @type {import('n8n-workflow').IConnections} */
	const connections = {};
	let previous = TRIGGER_NAME;
	for (const node of nodes) {
		connections[previous] = { main: [[{ node: String(node.name), type: 'main', index: 0 }]] };
		previous = String(node.name);
	}
	return { ...workflow, nodes: [...workflow.nodes, ...nodes], connections };
}

/**
 * @typedef {{ status: number, contentType: string | null, body: string }} HttpAnswer
 * @typedef {{ items: Array<Record<string, any>>, status: string }} Execution
 */

/**
 * @param {Record<string, import('n8n-workflow').INodeType>} nodeTypes
 * @returns {import('n8n-workflow').INodeTypes}
 */
function nodeTypesAdapter(nodeTypes) {
	/**
	 * Unknown (e.g. a downstream n8n-nodes-base node): undefined, which n8n-workflow's `Workflow`
	 * skips, keeping the node as given (workflow.js constructor).
	 * @param {string} type
	 */
	const get = (type) => /** @type {import('n8n-workflow').INodeType} */ (nodeTypes[type]);
	return { getByName: get, getByNameAndVersion: get, getKnownTypes: () => ({}) };
}

/**
 * @param {() => Record<string, unknown> | null} currentCredential null: the credential cannot be read
 * @param {Record<string, import('n8n-workflow').ICredentialType>} credentialTypes
 */
function credentialsHelper(currentCredential, credentialTypes) {
	class TriggerCredentialsHelper extends workflowLib.ICredentialsHelper {
		getParentTypes() {
			return [];
		}
		isCredentialUsableByNode() {
			return true;
		}
		async runPreAuthentication() {
			return undefined;
		}
		/** @type {import('n8n-workflow').ICredentialsHelper['authenticate']} */
		async authenticate(credentials, typeName, requestOptions) {
			const authenticate = credentialTypes[typeName]?.authenticate;
			if (typeof authenticate !== 'function') throw new Error(`no authenticate for ${typeName}`);
			return await authenticate(credentials, /** @type {any} */ (requestOptions));
		}
		async preAuthentication() {
			return undefined;
		}
		/** @type {import('n8n-workflow').ICredentialsHelper['getCredentials']} */
		async getCredentials() {
			return new core.Credentials({ id: null, name: '' }, '', '');
		}
		/** @type {import('n8n-workflow').ICredentialsHelper['getDecrypted']} */
		async getDecrypted(_additionalData, _nodeCredentials, type) {
			if (type !== CREDENTIAL_TYPE) throw new Error(`No test credential of type ${type}`);
			if (currentCredential() === null) throw new Error('Credentials could not be decrypted');
			return /** @type {any} */ (structuredClone(currentCredential()));
		}
		async updateCredentials() {}
		async updateCredentialsOauthTokenData() {}
		getCredentialsProperties() {
			return [];
		}
	}
	return new TriggerCredentialsHelper();
}

/**
 * Sends a string or object the way Express's `res.send` / `res.json` do in n8n's response helpers.
 * @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} data
 */
function sendLikeN8n(res, status, data) {
	res.statusCode = status;
	if (typeof data === 'string') {
		const type = res.getHeader('content-type');
		res.setHeader('Content-Type', type === undefined ? 'text/html; charset=utf-8' : String(type));
		res.end(data);
	} else {
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(data));
	}
}

/** The answer to a verified notification: HTTP 200, exactly `OK`, plain text. */
export const OK_ANSWER = Object.freeze({
	status: 200,
	contentType: 'text/plain; charset=utf-8',
	body: 'OK',
});

/** @typedef {'2.x' | '1.x'} N8nLine */

/** n8n's workflow id of the harness (n8n saves static data only for ids of at most 16 characters). */
const WORKFLOW_ID = 'trigger-test';

/**
 * Starts the harness.
 * @param {{ parameters?: Record<string, unknown>, credential?: Record<string, unknown>, n8nLine?: N8nLine }} [options]
 */
export async function startTriggerHarness(options = {}) {
	const engine = await createEngine();
	const nodeTypes = nodeTypesAdapter(engine.nodeTypes);
	const nodeType = engine.nodeTypes[TRIGGER_TYPE];
	if (!nodeType?.webhook) throw new Error(`${TRIGGER_TYPE} not loaded from dist/ (npm run build)`);
	const webhookDescription = /** @type {import('n8n-workflow').IWebhookDescription} */ (
		nodeType.description.webhooks?.[0]
	);

	let parameters = options.parameters ?? {};
	/** @type {Array<Record<string, unknown>>} nodes after the trigger, one after another */
	let downstream = [];
	/** @type {Record<string, unknown> | null} */
	let credential = { ...TRIGGER_CREDENTIAL, ...(options.credential ?? {}) };
	/** @type {N8nLine} */
	let n8nLine = options.n8nLine ?? '2.x';
	/** @type {string | null} the workflow's static data column: JSON text, null until first saved */
	let database = null;
	/** @type {Execution[]} */
	const executions = [];
	/** Whether the next execution's process dies before the execution ends (`killNextExecution`). */
	let killNext = false;
	/** @type {Error[]} errors webhook() threw (n8n would turn them into an error execution) */
	const thrown = [];
	const helper = credentialsHelper(() => credential, engine.credentialTypes);
	/** @type {string[]} what the trigger logged (n8n's logger), for the scans; not printed */
	const logs = [];
	// n8n-core's own copies of the DI container and logger (it has them nested).
	const coreRequire = createRequire(require.resolve('n8n-core'));
	const logger = /** @type {Record<string, unknown>} */ (
		coreRequire('@n8n/di').Container.get(coreRequire('@n8n/backend-common').Logger)
	);
	for (const level of ['error', 'warn', 'info', 'debug']) {
		logger[level] = (/** @type {unknown} */ message) => logs.push(`${level}: ${String(message)}`);
	}
	/** @type {{ forgetAllTriggerMemories: () => void }} the trigger's module, as the engine loaded it */
	const repeatMemory = require(
		path.join(PROJECT_ROOT, 'dist', 'nodes', 'IntellectMoneyTrigger', 'repeatMemory.js'),
	);

	/** @type {{ arrive: () => Promise<void> } | undefined} set by postAtOnce */
	let gate;

	/** The static data as n8n reads it from its database: a new object, or null. */
	const loadStaticData = () => (database === null ? null : JSON.parse(database));
	/** n8n's saveStaticData: only when the object says it changed. @param {any} staticData */
	function saveIfChanged(staticData) {
		if (staticData?.__dataChanged === true) database = JSON.stringify(staticData);
	}

	/** @param {Record<string, any> | null} staticData the object the Workflow is built on (not copied) */
	function buildWorkflow(staticData) {
		const json = withDownstream(triggerWorkflow(parameters), downstream);
		const workflow = new workflowLib.Workflow({
			id: WORKFLOW_ID,
			name: json.name,
			nodes: /** @type {any} */ (json.nodes),
			connections: json.connections,
			nodeTypes,
			staticData: /** @type {any} */ (staticData),
			active: true,
			settings: { executionOrder: 'v1' },
		});
		const node = /** @type {import('n8n-workflow').INode} */ (workflow.getNode(TRIGGER_NAME));
		return { json, workflow, node };
	}

	/** @param {import('node:http').IncomingMessage & Record<string, any>} req @param {Record<string, any>} res */
	function additionalDataFor(req, res) {
		return /** @type {import('n8n-workflow').IWorkflowExecuteAdditionalData} */ (
			/** @type {unknown} */ ({
				credentialsHelper: helper,
				httpRequest: req,
				httpResponse: res,
				restApiUrl: 'http://localhost/rest',
				instanceBaseUrl: 'http://localhost/',
				webhookBaseUrl: 'http://localhost/webhook',
				webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
				webhookTestBaseUrl: 'http://localhost/webhook-test',
				formWaitingBaseUrl: 'http://localhost/form-waiting',
				variables: {},
			})
		);
	}

	/**
	 * @param {import('node:http').IncomingMessage & Record<string, any>} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handle(req, res) {
		/** @type {Buffer[]} */
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const rawBody = Buffer.concat(chunks);
		const contentType =
			String(req.headers['content-type'] ?? '')
				.split(';')[0]
				.trim()
				.toLowerCase() || undefined;
		/** @type {unknown} */
		let body = {};
		if (rawBody.length > 0 && contentType === 'application/x-www-form-urlencoded')
			body = parseQueryString(rawBody.toString('utf8'), undefined, undefined, { maxKeys: 1000 });
		else if (rawBody.length > 0 && contentType === 'application/json')
			body = JSON.parse(rawBody.toString('utf8'));
		Object.assign(req, {
			rawBody,
			body,
			contentType,
			ip: req.socket.remoteAddress,
			query: {},
			params: {},
		});

		// postAtOnce: every request has arrived before any reads the database.
		if (gate) await gate.arrive();
		const loaded = loadStaticData();
		const { workflow, node } = buildWorkflow(loaded);
		const additionalData = additionalDataFor(req, res);
		/** @type {import('n8n-workflow').IWebhookData} */
		const webhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: 'webhook',
			webhookDescription,
			workflowId: WORKFLOW_ID,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new core.WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		/** @type {import('n8n-workflow').IWebhookResponseData} */
		let result;
		try {
			result = await /** @type {any} */ (nodeType.webhook).call(context);
		} catch (error) {
			thrown.push(/** @type {Error} */ (error));
			sendLikeN8n(res, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		if (result.workflowData === undefined || result.noWebhookResponse === true) {
			// Nothing starts: n8n's response callback saves the webhook's static data if it changed.
			saveIfChanged(workflow.staticData);
			if (result.noWebhookResponse === true) {
				if (!res.writableEnded) throw new Error('noWebhookResponse, but the node did not answer');
				return;
			}
			sendLikeN8n(res, 200, result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}

		if (n8nLine === '2.x') {
			// WorkflowRunner.run → establishContextForPersistence: a second Workflow on the same object.
			buildWorkflow(loaded);
		} else {
			// 1.x answers onReceived (and saves) before it starts the execution.
			saveIfChanged(workflow.staticData);
		}
		const execution = engine.run(triggerWorkflow(parameters), {
			items: result.workflowData[0].map((item) => item.json),
			mode: 'webhook',
			workflowId: WORKFLOW_ID,
			// The execution loads the static data again (prepareNewExecution / runMainProcess).
			staticData: loadStaticData() ?? undefined,
		});
		// 2.x: the response callback runs once the execution exists.
		if (n8nLine === '2.x') saveIfChanged(workflow.staticData);
		const run = await execution;
		if (killNext) {
			// The process running it dies before the end: nothing saved, no answer, its memory gone.
			killNext = false;
			repeatMemory.forgetAllTriggerMemories();
			executions.push({
				items: run.output(TRIGGER_NAME).map((item) => item.json),
				status: 'crashed',
			});
			res.destroy();
			return;
		}
		// workflowExecuteAfter: the execution's static data, when it changed.
		if (run.staticData !== undefined) database = JSON.stringify(run.staticData);
		executions.push({
			items: run.output(TRIGGER_NAME).map((item) => item.json),
			status: run.status,
		});
		sendLikeN8n(res, 200, onReceivedBody(result));
	}

	/**
	 * n8n 2.41.1's body for responseMode onReceived once the execution exists
	 * (webhook-on-received-response-extractor.js): the description's `responseData` when set
	 * (default "firstEntryJson", sent as that literal text), else the node's `webhookResponse`.
	 * @param {import('n8n-workflow').IWebhookResponseData} result
	 */
	function onReceivedBody(result) {
		const responseData =
			webhookDescription.responseData === undefined
				? 'firstEntryJson'
				: webhookDescription.responseData;
		if (responseData === 'noData') return undefined;
		if (responseData) return responseData;
		return result.webhookResponse ?? { message: 'Workflow was started' };
	}

	const server = createServer((req, res) => {
		handle(/** @type {any} */ (req), res).catch((error) => {
			thrown.push(error);
			if (!res.headersSent) sendLikeN8n(res, 500, { message: String(error) });
			else res.end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = `http://127.0.0.1:${address.port}/webhook/6a0f2c5e-1b7d-4c3a-9e8f-2d4b6a8c0e11/webhook`;

	return {
		url,
		executions,
		thrown,
		logs,
		/** Every answer body and output item seen, for the secret scan. @type {string[]} */
		seen: /** @type {string[]} */ ([]),
		/** @param {Record<string, unknown>} next */
		setParameters(next) {
			parameters = next;
		},
		/**
		 * Nodes that follow the trigger in the workflow the webhook and activation see (e.g. a Respond
		 * to Webhook node); the execution runs the trigger alone, as the engine knows only this package.
		 * @param {Array<Record<string, unknown>>} nodes
		 */
		setDownstream(nodes) {
			downstream = nodes;
		},
		/** @param {Record<string, unknown> | null} changes null: the credential cannot be read */
		setCredential(changes) {
			credential = changes === null ? null : { ...TRIGGER_CREDENTIAL, ...changes };
		},
		/** @param {N8nLine} line which n8n's static-data handling to model */
		setN8nLine(line) {
			n8nLine = line;
		},
		/** Forgets everything remembered, as a fresh workflow (static data and deduplication store). */
		resetStaticData() {
			database = null;
			deduplicator.rows.clear();
			repeatMemory.forgetAllTriggerMemories();
		},
		/** The entries of n8n's deduplication store, per row (workflow id and context). */
		deduplicationEntries() {
			return Object.fromEntries([...deduplicator.rows].map(([key, row]) => [key, [...row.data]]));
		},
		/** The executions whose trigger put out an item, so the steps after it ran. */
		ranDownstream() {
			return executions.filter((execution) => execution.items.length > 0);
		},
		/**
		 * The next execution's process dies before the execution ends, as a killed queue-mode worker:
		 * its static data is not saved, the request gets no answer, and the process memory is gone.
		 */
		killNextExecution() {
			killNext = true;
		},
		/** Forgets the trigger's in-process memory, as a restart of n8n does; static data stays. */
		restart() {
			repeatMemory.forgetAllTriggerMemories();
		},
		/** The static data as saved in the "database" ({} when nothing was saved). */
		staticData() {
			return database === null ? {} : JSON.parse(database);
		},
		/**
		 * POSTs a body to the trigger's URL.
		 * @param {string | Buffer} body
		 * @param {{ contentType?: string }} [postOptions]
		 * @returns {Promise<HttpAnswer>}
		 */
		async post(body, postOptions = {}) {
			const response = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': postOptions.contentType ?? 'application/x-www-form-urlencoded',
				},
				body,
			});
			const answer = {
				status: response.status,
				contentType: response.headers.get('content-type'),
				body: await response.text(),
			};
			this.seen.push(answer.body);
			this.seen.push(JSON.stringify(executions));
			return answer;
		},
		/**
		 * POSTs the same form body `count` times at the same moment, each on its own connection (fetch
		 * would queue them on one); none reads the static data before all have arrived.
		 * @param {string} body @param {number} count @returns {Promise<HttpAnswer[]>}
		 */
		async postAtOnce(body, count) {
			const one = () =>
				/** @type {Promise<HttpAnswer>} */ (
					new Promise((resolve, reject) => {
						const req = httpRequest(
							url,
							{
								method: 'POST',
								agent: false,
								headers: { 'content-type': 'application/x-www-form-urlencoded' },
							},
							(res) => {
								let text = '';
								res.setEncoding('utf8');
								res.on('data', (chunk) => (text += chunk));
								res.on('end', () =>
									resolve({
										status: res.statusCode ?? 0,
										contentType: res.headers['content-type'] ?? null,
										body: text,
									}),
								);
							},
						);
						req.on('error', reject);
						req.end(body);
					})
				);
			let arrived = 0;
			/** @type {() => void} */
			let open = () => {};
			const opened = new Promise((resolve) => (open = () => resolve(undefined)));
			gate = {
				async arrive() {
					arrived += 1;
					if (arrived === count) open();
					await opened;
				},
			};
			const answers = await Promise.all(Array.from({ length: count }, one)).finally(() => {
				gate = undefined;
			});
			this.seen.push(...answers.map((answer) => answer.body), JSON.stringify(executions));
			return answers;
		},
		/**
		 * Runs the node's activation hooks (checkExists, then create when it says "not there") with
		 * n8n-core's HookContext, as n8n does when a workflow is published.
		 */
		async activate() {
			const { workflow, node } = buildWorkflow(loadStaticData());
			const additionalData = additionalDataFor(/** @type {any} */ ({}), {});
			/** @type {import('n8n-workflow').IWebhookData} */
			const webhookData = {
				httpMethod: 'POST',
				node: node.name,
				path: 'webhook',
				webhookDescription,
				workflowId: WORKFLOW_ID,
				workflowExecuteAdditionalData: additionalData,
			};
			const hooks = /** @type {any} */ (nodeType.webhookMethods)?.default;
			const context = new core.HookContext(
				workflow,
				node,
				additionalData,
				'trigger',
				'activate',
				webhookData,
			);
			const exists = await hooks.checkExists.call(context);
			if (!exists) await hooks.create.call(context);
			// n8n saves the static data after adding a published workflow's webhooks.
			saveIfChanged(workflow.staticData);
			return await hooks.delete.call(context);
		},
		async stop() {
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * One harness for a test file: started before its tests, stopped after them (with the engine's
 * scratch folder). Returns a stand-in that forwards to the running harness.
 * @param {Parameters<typeof startTriggerHarness>[0]} [options]
 * @returns {Awaited<ReturnType<typeof startTriggerHarness>>}
 */
export function harnessForThisFile(options) {
	/** @type {Record<string | symbol, any> | undefined} */
	let running;
	beforeAll(async () => {
		running = await startTriggerHarness(options);
	});
	afterAll(async () => {
		await running?.stop();
		removeEngineUserFolder();
	});
	return /** @type {any} */ (
		new Proxy(
			{},
			{
				get(_target, name) {
					if (!running) throw new Error('the trigger harness has not started yet');
					return running[name];
				},
			},
		)
	);
}
