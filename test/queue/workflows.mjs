// @ts-check
/**
 * The workflows the queue suite publishes, read from the examples operators get:
 * - the held-payment example for queue mode (examples/capture-when-payment-is-held-queue-mode.workflow.json:
 *   Answer OK after the workflow, Capture by the confirmed Invoice ID, Respond to Webhook): the
 *   scale-out phase;
 * - the held-payment example (examples/capture-when-payment-is-held.workflow.json: OK once the
 *   execution is created, the trigger's record of repeats at work, Capture by the confirmed Invoice
 *   ID);
 * - that one with one extra node that writes workflow static data (a Code node, which runs in the
 *   worker's task runner and hands its static data back: n8n `task-requester.js` overrideStaticData),
 *   to see what the worker's save of static data does to the trigger's record of repeats.
 * Each has its own id (at most 16 characters: n8n saves static data only for short ids,
 * `isWorkflowIdValid`: 21 characters on 2.x, 16 on 1.x) and its own webhook path.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../../dev/n8n/index.mjs';

const TRIGGER_TYPE = 'n8n-nodes-intellectmoney.intellectMoneyTrigger';
const ACTION_TYPE = 'n8n-nodes-intellectmoney.intellectMoney';

/**
 * @typedef {object} PublishedFlow
 * @property {string} id
 * @property {any} json  the workflow as imported
 * @property {string} webhookPath  `webhook/<webhookId>/webhook`, served by main and webhook processor
 * @property {string} triggerNode  node names, to read the executions' outputs
 * @property {string} captureNode
 */

/** @param {any} json @param {string} source @returns {PublishedFlow} */
function describeFlow(json, source) {
	const trigger = json.nodes.find((/** @type {any} */ n) => n.type === TRIGGER_TYPE);
	const capture = json.nodes.find(
		(/** @type {any} */ n) => n.type === ACTION_TYPE && n.parameters.operation === 'capture',
	);
	if (!trigger || !capture) throw new Error(`${source}: no IntellectMoney Trigger → Capture`);
	if (json.id.length > 16) throw new Error(`${source}: workflow id longer than 16 characters`);
	return {
		id: json.id,
		json,
		webhookPath: `webhook/${trigger.webhookId}/webhook`,
		triggerNode: trigger.name,
		captureNode: capture.name,
	};
}

/**
 * An example as operators get it.
 * @param {'capture-when-payment-is-held' | 'capture-when-payment-is-held-queue-mode'} name
 */
export function exampleFlow(name) {
	const file = path.join(PROJECT_ROOT, 'examples', `${name}.workflow.json`);
	return describeFlow(JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * The flow with a Code node between the trigger and what follows it, writing workflow static data,
 * under its own id and webhook path.
 * @param {PublishedFlow} flow @param {string} id @param {string} webhookId
 */
export function withStaticDataWriter(flow, id, webhookId) {
	const json = structuredClone(flow.json);
	json.id = id;
	json.name = `${json.name} (with a node that writes static data)`;
	json.nodes.find((/** @type {any} */ n) => n.name === flow.triggerNode).webhookId = webhookId;
	const writer = {
		id: 'e7000000-0000-4000-8000-0000000000a1',
		name: 'Note the last order',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [110, 200],
		parameters: {
			jsCode:
				"const data = $getWorkflowStaticData('global');\ndata.lastOrderId = $input.first().json.orderId;\nreturn $input.all();",
		},
	};
	json.nodes.push(writer);
	json.connections[writer.name] = json.connections[flow.triggerNode];
	json.connections[flow.triggerNode] = { main: [[{ node: writer.name, type: 'main', index: 0 }]] };
	return describeFlow(json, `${flow.id} with a static-data writer`);
}

/** Whether a flow answers `OK` only once its Respond to Webhook node has run. */
export function answersAfterWorkflow(/** @type {PublishedFlow} */ flow) {
	const trigger = flow.json.nodes.find((/** @type {any} */ n) => n.name === flow.triggerNode);
	return trigger.parameters.options?.answerOk === 'respondToWebhook';
}

/**
 * For the race phase: the trigger without Confirm Invoice ID (so IntellectMoney's state, which already
 * tells a held notification for a captured invoice apart, does not decide first), followed by a Code
 * node that counts its runs in static data: only n8n's deduplication store can stop a repeat here.
 * @param {PublishedFlow} flow @param {string} id @param {string} webhookId @returns {PublishedFlow}
 */
export function storeOnlyFlow(flow, id, webhookId) {
	const json = structuredClone(flow.json);
	json.id = id;
	json.name = `${json.name} (no Confirm Invoice ID, a counting step)`;
	const trigger = json.nodes.find((/** @type {any} */ n) => n.name === flow.triggerNode);
	trigger.webhookId = webhookId;
	trigger.parameters.options = { ...trigger.parameters.options, confirmInvoiceId: false };
	const counter = {
		id: 'e7000000-0000-4000-8000-0000000000b2',
		name: 'Count the run',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			jsCode:
				"const data = $getWorkflowStaticData('global');\ndata.runs = (data.runs ?? 0) + 1;\nreturn $input.all();",
		},
	};
	json.nodes = json.nodes
		.filter((/** @type {any} */ n) => n.name !== flow.captureNode)
		.concat(counter);
	json.connections = {
		[flow.triggerNode]: { main: [[{ node: counter.name, type: 'main', index: 0 }]] },
	};
	return {
		id,
		json,
		webhookPath: `webhook/${webhookId}/webhook`,
		triggerNode: flow.triggerNode,
		captureNode: counter.name,
	};
}
