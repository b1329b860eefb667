/** UI properties the payout operations share. */
import type { INodeProperties } from 'n8n-workflow';

export const payoutOperationIdProperty: INodeProperties = {
	displayName: 'Payout Operation ID',
	name: 'payoutOperationId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
	description:
		'The PayoutOperationId (a GUID) that IntellectMoney returned when the payout operation was created',
};
