import type { INodeProperties } from 'n8n-workflow';

import * as execute from './execute.operation';

export { execute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payout'] } },
		options: [
			{
				name: 'Execute',
				value: 'execute',
				action: 'Execute a payout',
				description:
					'Send a created payout operation to processing. It moves money: put human approval in front of it when an AI agent uses it. Repeating it is safe: a payout is executed at most once, and a repeat comes back as alreadyDone.',
			},
		],
		default: 'execute',
	},
	...execute.description,
];
