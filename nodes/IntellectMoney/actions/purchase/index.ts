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
					'Transfer the amount held on an invoice (two-stage payment) to the shop. Safe to describe to an AI agent only behind human approval: it moves money.',
			},
		],
		default: 'capture',
	},
	...capture.description,
];
