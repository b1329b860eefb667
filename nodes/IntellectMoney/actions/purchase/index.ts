import type { INodeProperties } from 'n8n-workflow';

import * as capture from './capture.operation';
import * as createInvoice from './createInvoice.operation';
import * as get from './get.operation';
import * as refund from './refund.operation';

export { capture, createInvoice, get, refund };

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
			{
				name: 'Create Invoice',
				value: 'createInvoice',
				action: 'Create an invoice',
				description:
					'Create an invoice and get its payment page link; with Hold Mode the paid amount is held until Capture or Release',
			},
			{
				name: 'Get State',
				value: 'get',
				action: 'Get the state of an invoice',
				description:
					'Read an invoice (held, paid, refunded…) by Invoice ID, to check before acting. Needs Login and Password in the credential.',
			},
			{
				name: 'Release or Refund',
				value: 'refund',
				action: 'Release or refund a purchase',
				description:
					'Release a held amount, cancel an unpaid invoice, or refund a paid one (full amount). It moves money: put human approval in front of it when an AI agent uses it. Repeating it is safe: an invoice is never refunded twice.',
			},
		],
		default: 'capture',
	},
	...capture.description,
	...createInvoice.description,
	...get.description,
	...refund.description,
];
