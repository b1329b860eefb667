/**
 * UI properties several operations share: the Options collection every operation has (Include Raw
 * Response, Timeout, Parallel Requests after the operation's own options) and the Merchant Receipt
 * option. How their values are read is in options.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MAX_PARALLEL_REQUESTS } from './options';

/** "Include Raw Response": adds IntellectMoney's whole answer to the output item as `raw`. */
export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Response',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description: "Whether to add IntellectMoney's whole answer to the output item as `raw`",
};

/** "Timeout": how long to wait for IntellectMoney's answer to each request. */
export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 30,
	description:
		'How long to wait for IntellectMoney to answer each request. A request left unanswered may ' +
		'still have been carried out: the node then checks the state before it reports or repeats anything.',
};

/**
 * An operation's Options collection: Include Raw Response, Timeout and Parallel Requests, which every
 * operation has, after the operation's own.
 */
export function optionsCollection(...ownOptions: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...ownOptions, includeRawOption, timeoutOption, parallelRequestsOption],
	};
}

/** "Merchant Receipt": the 54-FZ receipt, sent as JSON text; `purpose` says when it is needed. */
export function merchantReceiptOption(purpose: string): INodeProperties {
	return {
		displayName: 'Merchant Receipt',
		name: 'merchantReceipt',
		type: 'json',
		// '{}', not '': n8n's JSON editor marks an empty value red ("Unexpected end of JSON input") as
		// soon as the option is added. An empty object is refused before sending (validation/receipt.ts).
		default: '{}',
		description: `Online cash-register receipt (54-FZ) as a JSON object with inn, group and content, ${purpose}`,
	};
}

/** "Parallel Requests": how many items may wait for IntellectMoney at once. */
export const parallelRequestsOption: INodeProperties = {
	displayName: 'Parallel Requests',
	name: 'parallelRequests',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_REQUESTS, numberPrecision: 0 },
	default: 1,
	description:
		'How many items to send to IntellectMoney at once (1 = one after another). Output order is ' +
		'kept, and items for the same invoice or payout still go one at a time. IntellectMoney ' +
		'publishes no rate limit; the node backs off when it answers HTTP 429. Start at 5–10. Read from ' +
		'the first item for the whole execution.',
};

/**
 * The notice above an operation that moves money: what the README's Reliability and AI agents
 * sections promise, in one line where the operator chooses it.
 */
export function moneyMovesNotice(resource: string, operations: string[]): INodeProperties {
	return {
		displayName:
			'This moves money. Repeating it is safe: the node never moves it twice. When an AI agent uses ' +
			'this node, put a human approval in front of it.',
		name: 'moneyMovesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: [resource], operation: operations } },
	};
}

/** "Maximum Amount": a ceiling the node checks before it sends; `description` says how. */
export function maxAmountOption(description: string): INodeProperties {
	return {
		displayName: 'Maximum Amount',
		name: 'maxAmount',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description,
	};
}

/**
 * The operator's explicit "send anyway" after an earlier run may have sent the request
 * (atMostOnce/memory.ts): off by default, and its description says what protection it removes.
 */
export function sendAfterEarlierRunOption(what: string): INodeProperties {
	return {
		displayName: 'Send Even If an Earlier Run May Have Sent It',
		name: 'sendAfterEarlierRun',
		type: 'boolean',
		default: false,
		description:
			`Whether to send ${what} although an earlier run of this node sent it and never learned whether ` +
			`IntellectMoney carried it out. Turn on only after checking in the IntellectMoney cabinet that ` +
			`it was not carried out: it removes the protection against doing it twice across runs (within a ` +
			`run it is still sent at most once).`,
	};
}
