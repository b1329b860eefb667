/** Payout: create a payout operation, execute it (optionally waiting until it is final), read it. */
import type { INodeProperties } from 'n8n-workflow';

import { moneyMovesNotice } from '../common/descriptions';
import type { Operation } from '../operation';
import * as create from './create.operation';
import * as execute from './execute.operation';
import * as get from './get.operation';

export const operations = { create, execute, get } satisfies Record<string, Operation>;

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
				description: 'Create a payout operation to a card or by phone (SBP); Execute sends it',
			},
			{
				name: 'Execute',
				value: 'execute',
				action: 'Execute a payout',
				description:
					'Send a created payout operation to processing, optionally waiting until it is final',
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
	moneyMovesNotice('payout', ['execute']),
	...create.description,
	...execute.description,
	...get.description,
];
