import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account';
import * as payout from './actions/payout';
import * as purchase from './actions/purchase';
import { router } from './actions/router';

export class IntellectMoney implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IntellectMoney',
		name: 'intellectMoney',
		icon: {
			light: 'file:../../icons/intellectMoney.svg',
			dark: 'file:../../icons/intellectMoney.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Create invoices with hold, capture, release or refund purchases, list invoices and holds about to expire, read the balance, and create, execute and track payouts with IntellectMoney',
		defaults: { name: 'IntellectMoney' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'intellectMoneyApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Payout', value: 'payout' },
					{ name: 'Purchase', value: 'purchase' },
				],
				default: 'purchase',
			},
			...purchase.description,
			...payout.description,
			...account.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
