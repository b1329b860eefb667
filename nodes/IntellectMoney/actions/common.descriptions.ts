import type { INodeProperties } from 'n8n-workflow';

/** "Include Raw Response": adds IntellectMoney's whole answer to the output item as `raw`. */
export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Response',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description: "Whether to add IntellectMoney's whole answer to the output item as `raw`",
};
