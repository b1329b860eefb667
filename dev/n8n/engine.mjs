// @ts-check
/**
 * Runs workflow JSON through n8n-core's real execution engine (`WorkflowExecute`), the way n8n tests
 * its own nodes (packages/core/nodes-testing/node-test-harness.ts in n8n-io/n8n), outside the monorepo:
 * - this package is loaded from dist/ by n8n-core's own `PackageDirectoryLoader` (the package.json
 *   `n8n` field), so type ids are `n8n-nodes-intellectmoney.intellectMoney`, as in a real install;
 * - a credentials helper hands out the given credential data and runs the credential's real
 *   `authenticate` (signing happens there, exactly as in n8n);
 * - requests go through n8n-core's real `httpRequestWithAuthentication` and HTTP stack.
 * The one stand-in is `n8n-nodes-base.manualTrigger` (n8n-nodes-base is not a dependency): a start node
 * that passes the given input items on, so fixtures import unchanged into a real n8n.
 * Used by the engine and trigger tests, `npm run demo` and the bench.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PROJECT_ROOT } from '../paths.mjs';
import { createMemoryDeduplicator } from './deduplication.mjs';

export const PACKAGE_NAME = 'n8n-nodes-intellectmoney';
export const NODE_TYPE = `${PACKAGE_NAME}.intellectMoney`;
export const CREDENTIAL_TYPE = 'intellectMoneyApi';

const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));

// n8n-core keeps instance settings in the user folder: never the user's own ~/.n8n.
// n8n's logger prints every node error; quiet unless asked (the secret-scan test asks for debug).
process.env.N8N_LOG_LEVEL ??= 'silent';
const userFolder =
	process.env.N8N_USER_FOLDER ?? mkdtempSync(path.join(tmpdir(), 'n8n-im-engine-'));
process.env.N8N_USER_FOLDER = userFolder;
const instanceConfig = path.join(userFolder, '.n8n', 'config');
if (!existsSync(instanceConfig)) {
	// A throwaway key, written up front so n8n-core does not announce generating one.
	mkdirSync(path.dirname(instanceConfig), { recursive: true });
	writeFileSync(
		instanceConfig,
		JSON.stringify({ encryptionKey: randomBytes(24).toString('hex') }),
		{
			mode: 0o600,
		},
	);
}

/** @type {typeof import('n8n-core')} */
const core = require('n8n-core');
/** @type {typeof import('n8n-workflow')} */
const workflowLib = require('n8n-workflow');

/**
 * n8n's deduplication store, as `n8n start`, `worker`, `webhook` and `execute` set it up at start
 * (n8n base-command.js initDataDeduplicationService), kept in memory (deduplication.mjs). One per
 * process, as in n8n: engines of one test file share it, so a second run of a workflow sees what the
 * first recorded, as an operator's re-run does.
 */
export const deduplicator = /** @type {ReturnType<typeof createMemoryDeduplicator>} */ (
	// n8n-core is loaded with Node's own require, which jest does not reset between test files.
	/** @type {any} */ (globalThis).__n8nImDeduplicator ??= createMemoryDeduplicator()
);
try {
	core.DataDeduplicationService.getInstance();
} catch {
	await core.DataDeduplicationService.init(deduplicator);
}

/**
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 *
 * @typedef {{ json: Record<string, unknown>, pairedItem?: unknown, error?: unknown }} OutputItem
 * @typedef {object} RunResult
 * @property {string} status           n8n's execution status: 'success', 'error', …
 * @property {Error | undefined} error the execution's error (a node that stopped the workflow)
 * @property {(nodeName: string) => OutputItem[]} output  the items a node put out (its first output)
 * @property {(nodeName: string) => Error | undefined} nodeError  the error a node stopped with
 * @property {IRun} run                the full IRun
 * @property {Record<string, any> | undefined} staticData  the workflow's static data when the run
 *   changed it (what n8n's workflowExecuteAfter hook would save), else undefined
 */

/** Start node stand-in: passes the execution's input items on, like Manual Trigger's single item. */
class ManualTriggerStandIn {
	/** @type {import('n8n-workflow').INodeTypeDescription} */
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test stand-in for n8n-nodes-base.manualTrigger',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		return [this.getInputData()];
	}
}

/** Loads this package from dist/ (run `npm run build` first). */
async function loadPackage() {
	const loader = new core.PackageDirectoryLoader(PROJECT_ROOT);
	await loader.loadAll();
	if (loader.packageName !== PACKAGE_NAME) {
		throw new Error(`expected package ${PACKAGE_NAME}, loaded ${loader.packageName}`);
	}
	/** @type {Record<string, INodeType>} */
	const nodeTypes = {
		'n8n-nodes-base.manualTrigger': /** @type {INodeType} */ (
			/** @type {unknown} */ (new ManualTriggerStandIn())
		),
	};
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodeTypes[`${PACKAGE_NAME}.${name}`] = /** @type {INodeType} */ (type);
	}
	/** @type {Record<string, import('n8n-workflow').ICredentialType>} */
	const credentialTypes = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		credentialTypes[name] = type;
	}
	return { nodeTypes, credentialTypes };
}

/**
 * @param {Record<string, INodeType>} types
 * @returns {import('n8n-workflow').INodeTypes}
 */
function nodeTypesAdapter(types) {
	/** @param {string} type */
	const get = (type) => {
		const nodeType = types[type];
		if (!nodeType) throw new Error(`Unrecognized node type: ${type}`);
		return nodeType;
	};
	return {
		getByName: get,
		getByNameAndVersion: (type) => get(type),
		getKnownTypes: () => ({}),
	};
}

/**
 * Hands out credential data by type and applies the credential's own `authenticate` function.
 * @param {Record<string, import('n8n-workflow').ICredentialType>} credentialTypes
 * @param {() => Record<string, ICredentialDataDecryptedObject>} currentCredentials
 */
function createCredentialsHelper(credentialTypes, currentCredentials) {
	class EngineCredentialsHelper extends workflowLib.ICredentialsHelper {
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
			if (typeof authenticate === 'function') {
				return await authenticate(credentials, /** @type {any} */ (requestOptions));
			}
			return /** @type {any} */ (requestOptions);
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
			const data = currentCredentials()[type];
			if (!data) throw new Error(`No test credential of type ${type}`);
			// A copy, as n8n decrypts a fresh object for every use.
			return structuredClone(data);
		}

		async updateCredentials() {}

		async updateCredentialsOauthTokenData() {}

		getCredentialsProperties() {
			return [];
		}
	}
	return new EngineCredentialsHelper();
}

/**
 * Creates an engine for this package. One engine can run many workflows.
 * @param {{ credentials?: Record<string, ICredentialDataDecryptedObject> }} [options]
 */
export async function createEngine(options = {}) {
	const { nodeTypes, credentialTypes } = await loadPackage();
	let credentials = options.credentials ?? {};
	const credentialsHelper = createCredentialsHelper(credentialTypes, () => credentials);
	let executionCounter = 0;

	return {
		nodeTypes,
		credentialTypes,
		/** @param {Record<string, ICredentialDataDecryptedObject>} next */
		setCredentials(next) {
			credentials = next;
		},
		/**
		 * Runs a workflow from its start node, which receives `items` as its input (default: the start
		 * node's pinned data, as a manual run in n8n uses it, else one empty item).
		 * @param {IWorkflowBase | { nodes: any[], connections: any, settings?: any, name?: string, pinData?: any }} workflowData
		 * @param {{ items?: Array<Record<string, unknown>>, mode?: import('n8n-workflow').WorkflowExecuteMode, workflowId?: string, staticData?: Record<string, any> }} [runOptions]
		 *   mode: the execution mode (default 'manual'); workflowId (default 'engine'); staticData: the
		 *   workflow's static data at the start (n8n loads it from its database)
		 * @returns {Promise<RunResult>}
		 */
		async run(workflowData, runOptions = {}) {
			executionCounter += 1;
			const executionId = String(executionCounter);
			const mode = runOptions.mode ?? 'manual';
			const workflowId = runOptions.workflowId ?? 'engine';
			const workflow = new workflowLib.Workflow({
				id: workflowId,
				name: workflowData.name ?? 'engine',
				nodes: workflowData.nodes,
				connections: workflowData.connections,
				nodeTypes: nodeTypesAdapter(nodeTypes),
				settings: { executionOrder: 'v1', ...(workflowData.settings ?? {}) },
				active: false,
				staticData: runOptions.staticData,
			});
			const startNode = workflow.getStartNode();
			if (!startNode) throw new Error('workflow has no start node');

			/** @type {IWorkflowBase} */
			const workflowBase = /** @type {any} */ ({
				id: workflowId,
				name: workflow.name,
				nodes: workflowData.nodes,
				connections: workflowData.connections,
				active: false,
				settings: workflow.settings,
				createdAt: new Date(),
				updatedAt: new Date(),
			});
			const hooks = new core.ExecutionLifecycleHooks(mode, executionId, workflowBase);
			/** @type {Record<string, any> | undefined} */
			let newStaticData;
			/** @type {Promise<IRun>} */
			const finished = new Promise((resolve) => {
				hooks.addHandler('workflowExecuteAfter', (fullRunData, changedStaticData) => {
					newStaticData = changedStaticData;
					resolve(fullRunData);
				});
			});

			/** @type {import('n8n-workflow').IWorkflowExecuteAdditionalData} */
			const additionalData = /** @type {any} */ ({
				executionId,
				hooks,
				credentialsHelper,
				currentNodeParameters: undefined,
				restApiUrl: 'http://localhost/rest',
				instanceBaseUrl: 'http://localhost/',
				formWaitingBaseUrl: 'http://localhost/form-waiting',
				webhookBaseUrl: 'http://localhost/webhook',
				webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
				webhookTestBaseUrl: 'http://localhost/webhook-test',
				variables: {},
				logAiEvent: () => {},
				setExecutionStatus: () => {},
				sendDataToUI: () => {},
				executeWorkflow: async () => {
					throw new Error('sub-workflows are not available in the engine runner');
				},
				getRunExecutionData: async () => undefined,
			});

			/** @type {INodeExecutionData[] | undefined} */
			const pinned = workflowData.pinData?.[startNode.name];
			/** @type {INodeExecutionData[]} */
			const items = runOptions.items
				? runOptions.items.map((json) => ({
						json: /** @type {import('n8n-workflow').IDataObject} */ (json),
					}))
				: (pinned ?? [{ json: {} }]);
			const runExecutionData = workflowLib.createRunExecutionData({
				executionData: {
					nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }],
				},
			});
			const workflowExecute = new core.WorkflowExecute(additionalData, mode, runExecutionData);
			await workflowExecute.processRunExecutionData(workflow);
			const run = await finished;

			const runData = run.data.resultData.runData;
			return {
				status: run.status,
				error: /** @type {Error | undefined} */ (run.data.resultData.error),
				output: (nodeName) =>
					/** @type {OutputItem[]} */ (runData[nodeName]?.[0]?.data?.main?.[0] ?? []),
				nodeError: (nodeName) => /** @type {Error | undefined} */ (runData[nodeName]?.[0]?.error),
				run,
				staticData: newStaticData && JSON.parse(JSON.stringify(newStaticData)),
			};
		},
	};
}

/** Removes the engine's scratch user folder (only the one this module created). */
export function removeEngineUserFolder() {
	if (path.basename(userFolder).startsWith('n8n-im-engine-')) {
		rmSync(userFolder, { recursive: true, force: true });
	}
}
