import type { INodeProperties } from 'n8n-workflow';

import * as capture from './capture.operation';

export { capture };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['purchase'] } },
		options: [
			{
				name: 'Capture',
				value: 'capture',
				action: 'Capture a held purchase',
				description:
					'Transfer the amount held on an invoice (two-stage payment) to the shop. It moves money: put human approval in front of it when an AI agent uses it. Repeating it is safe: an invoice is never captured twice, and with an Invoice ID a repeat comes back as alreadyDone.',
			},
		],
		default: 'capture',
	},
	...capture.description,
];
