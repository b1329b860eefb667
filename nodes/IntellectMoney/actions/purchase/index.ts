/** Purchase: the invoice lifecycle (create with hold, capture, release or refund, read one or many). */
import type { INodeProperties } from 'n8n-workflow';

import { moneyMovesNotice } from '../common/descriptions';
import type { Operation } from '../operation';
import * as capture from './capture.operation';
import * as createInvoice from './createInvoice.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as refund from './refund.operation';

export const operations = { capture, createInvoice, get, getAll, refund } satisfies Record<
	string,
	Operation
>;

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
				description: 'Transfer the amount held on an invoice (two-stage payment) to the shop',
			},
			{
				name: 'Create Invoice',
				value: 'createInvoice',
				action: 'Create an invoice',
				description: 'Create an invoice, with hold if chosen, and get its payment page link',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many invoices',
				description:
					'List the shop’s invoices by date and state, with when each hold ends (holds about to expire, reconciliation)',
			},
			{
				name: 'Get State',
				value: 'get',
				action: 'Get the state of an invoice',
				description: 'Read an invoice (held, paid, refunded…) by its Invoice ID',
			},
			{
				name: 'Release or Refund',
				value: 'refund',
				action: 'Release or refund a purchase',
				description:
					'Release a held amount, cancel an unpaid invoice, or refund a paid one in full',
			},
		],
		default: 'capture',
	},
	moneyMovesNotice('purchase', ['capture', 'refund']),
	...capture.description,
	...createInvoice.description,
	...get.description,
	...getAll.description,
	...refund.description,
];
