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
		// n8n adds "Custom API Call" (an HTTP Request node with this credential) to Resource and Operation
		// of a node's latest version when its credential has `authenticate`, and takes a description as
		// the latest when `defaultVersion === version` (n8n load-nodes-and-credentials.js,
		// injectCustomApiCallOptions). Requests made that way would skip every at-most-once check, so the
		// version is given as a list, which n8n does not take as its latest: no Custom API Call. The
		// credential also refuses other nodes (restrictToSupportedNodes). Checked in real n8n (n8n.e2e).
		version: [1],
		defaultVersion: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Create invoices with hold, capture, release or refund purchases, list invoices and holds about ' +
			'to expire, read the balance, and create, execute and track payouts with IntellectMoney',
		defaults: { name: 'IntellectMoney' },
		// n8n appends its tracking to the codex link with "?" even after a "#", which breaks the anchor;
		// a documentationUrl is used as it is (n8n editor, NodeSettings docsUrl).
		documentationUrl:
			'https://github.com/n8n-nodes-intellectmoney/n8n-nodes-intellectmoney#operations',
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
