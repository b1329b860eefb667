/** Account: the balance of the user's IntellectMoney account. */
import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import * as getBalance from './getBalance.operation';

export const operations = { getBalance } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Balance',
				value: 'getBalance',
				action: 'Get the balance of an account',
				description: 'Read the balance of an IntellectMoney account, now or on a date',
			},
		],
		default: 'getBalance',
	},
	...getBalance.description,
];
