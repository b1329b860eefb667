/**
 * Payout → Get State: `POST personal/payout/getOperationState` (wiki/88768545 names it; its URL and
 * Sign are read from its sibling executeOperation, reference §2.3, inference). Reads move no money.
 */
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validatePayoutOperationId } from '../../helpers/inputValidation';
import { throwIfRefused } from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { requestPayoutState } from '../../transport/stateReads';
import { optionsCollection, requestSettings } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';
import { asItem, payoutOperationIdProperty, payoutOutput } from './payoutOperation';

const properties: INodeProperties[] = [payoutOperationIdProperty, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['get'] } },
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
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		includeRaw?: boolean;
		timeoutSeconds?: unknown;
	};
	const settings = requestSettings(this, itemIndex, options);
	const { testMode } = await context.shop(itemIndex);
	const userToken = await context.userTokens.get(itemIndex, settings);
	const envelope = await requestPayoutState(
		this,
		userToken,
		payoutOperationId,
		itemIndex,
		settings,
	);
	throwIfRefused.call(this, envelope, ENDPOINTS.payoutState, itemIndex, {
		UserToken: userToken,
		PayoutOperationId: payoutOperationId,
	});
	if (!envelope.Result?.PayoutOperationState) {
		throw new NodeOperationError(
			this.getNode(),
			`Payout operation ${payoutOperationId} has no state in IntellectMoney's answer`,
			{
				itemIndex,
				description:
					'IntellectMoney answered without a PayoutOperationState. Check the Payout Operation ID.',
			},
		);
	}
	return asItem(
		payoutOutput(envelope, payoutOperationId, {
			includeRaw: options.includeRaw === true,
			alreadyDone: false,
			testMode,
		}),
	);
}
