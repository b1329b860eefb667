/**
 * Payout → Execute: `POST personal/payout/executeOperation` (seeds/000_a67578c069aa1be9.txt).
 * Sends a created payout operation to processing.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validatePayoutOperationId } from '../../helpers/inputValidation';
import type { ExecutePayoutOutput, ImEnvelope, ImPayoutOperationData } from '../../interfaces';
import {
	intellectMoneyApiRequest,
	readOperationOutcome,
	refusedParameter,
	throwIfRefused,
} from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { includeRawOption } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';

const properties: INodeProperties[] = [
	{
		displayName: 'Payout Operation ID',
		name: 'payoutOperationId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
		description:
			'The PayoutOperationId (a GUID) that IntellectMoney returned when the payout operation was created',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includeRawOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['execute'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	const payoutOperationId = validatePayoutOperationId(
		this,
		itemIndex,
		this.getNodeParameter('payoutOperationId', itemIndex),
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as { includeRaw?: boolean };
	await context.shop(itemIndex);

	let userToken = await context.userTokens.get(itemIndex);
	let envelope = await send.call(this, userToken, payoutOperationId, itemIndex);
	// A refused token means nothing was executed, so asking once more with a renewed token cannot pay
	// twice. Which refusal means "token expired" is not published: ErrorSourceParam UserToken is the
	// reading used (reference §4 lists ErrorSourceParam; Personal API code 2 = NoAuth).
	if (refusedParameter(envelope)?.toLowerCase() === 'usertoken') {
		const renewed = await context.userTokens.renew(userToken, itemIndex);
		if (renewed !== undefined) {
			userToken = renewed;
			envelope = await send.call(this, userToken, payoutOperationId, itemIndex);
		}
	}
	throwIfRefused.call(this, envelope, ENDPOINTS.executePayout, itemIndex);

	const { queued, ...outcome } = readOperationOutcome(envelope, options.includeRaw === true);
	const payoutState = envelope.Result?.PayoutOperationState ?? null;
	// seeds/000: a payout the bank refused still answers State 0, with PayoutOperationState "Failed"
	// and ErrorMessage. It is an output item (not an error) so an IF node can route it.
	const failed = payoutState?.toLowerCase() === 'failed';
	const output: ExecutePayoutOutput = {
		payoutOperationId: envelope.Result?.PayoutOperationId ?? payoutOperationId,
		payoutState,
		failed,
		errorMessage: envelope.Result?.ErrorMessage ?? null,
		status: queued ? 'queued' : failed ? 'failed' : 'processing',
		...outcome,
	};
	return output as unknown as IDataObject;
}

async function send(
	this: IExecuteFunctions,
	userToken: string,
	payoutOperationId: string,
	itemIndex: number,
): Promise<ImEnvelope<ImPayoutOperationData>> {
	return await intellectMoneyApiRequest.call(
		this,
		ENDPOINTS.executePayout,
		{ UserToken: userToken, PayoutOperationId: payoutOperationId },
		itemIndex,
	);
}
