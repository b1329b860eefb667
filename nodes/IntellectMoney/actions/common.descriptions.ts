import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
		'How long to wait for IntellectMoney to answer each request. A request left unanswered may still have been carried out: the node then checks the state before it reports or repeats anything.',
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
		default: '',
		description: `Online cash-register receipt (54-FZ) as a JSON object, ${purpose}`,
	};
}

/**
 * The request settings from an operation's options; a timeout outside 1–300 s is refused. Without the
 * option the transport waits its default, the option's own 30 s.
 */
export function requestSettings(
	node: IExecuteFunctions,
	itemIndex: number,
	options: { timeoutSeconds?: unknown },
): { timeoutMs?: number } {
	const seconds = options.timeoutSeconds;
	if (seconds === undefined || seconds === null || seconds === '') return {};
	const timeoutMs = secondsToMs(node, itemIndex, seconds, {
		name: 'Timeout (Seconds)',
		max: 300,
		fix: 'Set Options → Timeout (Seconds) to how long to wait for IntellectMoney, e.g. 30.',
	});
	return { timeoutMs };
}

/** A number of seconds from an option, as milliseconds; outside 1–`max` it is refused with `fix`. */
export function secondsToMs(
	node: IExecuteFunctions,
	itemIndex: number,
	seconds: unknown,
	option: { name: string; max: number; fix: string },
): number {
	if (
		typeof seconds !== 'number' ||
		!Number.isFinite(seconds) ||
		seconds < 1 ||
		seconds > option.max
	) {
		throw new NodeOperationError(
			node.getNode(),
			`${option.name} must be a number from 1 to ${option.max}`,
			{ itemIndex, description: option.fix },
		);
	}
	return seconds * 1000;
}

export const MAX_PARALLEL_REQUESTS = 50;

/** "Parallel Requests": how many items may wait for IntellectMoney at once. */
export const parallelRequestsOption: INodeProperties = {
	displayName: 'Parallel Requests',
	name: 'parallelRequests',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_REQUESTS, numberPrecision: 0 },
	default: 1,
	description:
		'How many items to send to IntellectMoney at once (1 = one after another). Output order is kept, and items for the same invoice or payout still go one at a time. IntellectMoney publishes no rate limit; the node backs off when it answers HTTP 429. Start at 5–10. Read from the first item for the whole execution.',
};

/**
 * The execution's Parallel Requests, read once from item 0's options; outside 1–50 (or not a whole
 * number) it is refused before anything is sent.
 */
export function readParallelRequests(node: IExecuteFunctions): number {
	const value = node.getNodeParameter('options.parallelRequests', 0, 1) as unknown;
	if (value === undefined || value === null || value === '') return 1;
	const count = typeof value === 'string' ? Number(value) : value;
	if (
		typeof count !== 'number' ||
		!Number.isInteger(count) ||
		count < 1 ||
		count > MAX_PARALLEL_REQUESTS
	) {
		throw new NodeOperationError(
			node.getNode(),
			`Parallel Requests must be a whole number from 1 to ${MAX_PARALLEL_REQUESTS}`,
			{
				itemIndex: 0,
				description: `Set Options → Parallel Requests to how many items to send at once, e.g. 5; ${String(value)} was given.`,
			},
		);
	}
	return count;
}
