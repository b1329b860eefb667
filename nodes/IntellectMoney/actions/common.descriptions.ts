import type { INodeProperties } from 'n8n-workflow';

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

/** The request settings from an operation's options. */
export function requestSettings(options: { timeoutSeconds?: number }): { timeoutMs?: number } {
	return options.timeoutSeconds ? { timeoutMs: options.timeoutSeconds * 1000 } : {};
}
