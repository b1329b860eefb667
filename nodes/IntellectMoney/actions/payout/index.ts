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
				description: 'Prepare a payout to a card or phone (SBP); moves nothing until Execute',
			},
			{
				name: 'Execute',
				value: 'execute',
				action: 'Execute a payout',
				description: 'Moves money, never twice: send a created payout to processing',
			},
			{
				name: 'Get State',
				value: 'get',
				action: 'Get the state of a payout',
				description: 'Read a payout: created, processing, completed or failed',
			},
		],
		default: 'execute',
	},
	moneyMovesNotice('payout', ['execute']),
	...create.description,
	...execute.description,
	...get.description,
];
