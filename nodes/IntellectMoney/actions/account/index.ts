/** Account: the balance of the user's IntellectMoney account, and the read-only setup check. */
import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import * as checkSetup from './checkSetup.operation';
import * as getBalance from './getBalance.operation';

export const operations = { getBalance, checkSetup } satisfies Record<string, Operation>;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Check Setup',
				value: 'checkSetup',
				action: 'Check the setup read only',
				description: 'Reads only, moves no money: which of the package’s inferences hold',
			},
			{
				name: 'Get Balance',
				value: 'getBalance',
				action: 'Get the balance of an account',
				description: 'Read an account’s balance, now or on a date',
			},
		],
		default: 'getBalance',
	},
	...getBalance.description,
	...checkSetup.description,
];
