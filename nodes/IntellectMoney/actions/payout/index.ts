import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as execute from './execute.operation';
import * as get from './get.operation';

export { create, execute, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payout'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a payout',
				description:
					'Create a payout operation to a card or by phone (SBP). Nothing is paid until Execute sends it.',
			},
			{
				name: 'Execute',
				value: 'execute',
				action: 'Execute a payout',
				description:
					'Send a created payout operation to processing, and optionally wait until it is final. It moves money: put human approval in front of it when an AI agent uses it. Repeating it is safe: a payout is executed at most once, and a repeat comes back as alreadyDone.',
			},
			{
				name: 'Get State',
				value: 'get',
				action: 'Get the state of a payout',
				description: 'Read a payout operation: created, processing, completed or failed',
			},
		],
		default: 'execute',
	},
	...create.description,
	...execute.description,
	...get.description,
];
