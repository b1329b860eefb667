/**
 * Payout → Get State: `POST personal/payout/getOperationState` (wiki/88768545 names it; its URL and
 * Sign are read from its sibling executeOperation, docs/intellectmoney-api.md §2.3, inference). Reads move no money.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ENDPOINTS } from '../../../../shared/signature';
import { requestPayoutState } from '../../../../shared/transport/reads';
import { throwIfRefused } from '../../../../shared/transport/refusal';
import { ItemError } from '../../errors';
import { validatePayoutOperationId } from '../../validation/identifiers';
import { optionsCollection } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';
import { payoutOutput } from './payoutState';
import { payoutOperationIdProperty } from './properties';

const properties: INodeProperties[] = [payoutOperationIdProperty, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['get'] } },
	properties,
);

export async function execute(item: ItemScope, run: RunScope): Promise<IDataObject> {
	const payoutOperationId = validatePayoutOperationId(item.param('payoutOperationId'));
	const options = item.param('options', {}) as CommonOptions;
	const settings = requestSettings(options);
	const { testMode } = await run.shop();
	const userToken = await run.userTokens.get(settings);
	const envelope = await requestPayoutState(run.node, userToken, payoutOperationId, settings);
	throwIfRefused(run.node.getNode(), envelope, ENDPOINTS.payoutState, {
		UserToken: userToken,
		PayoutOperationId: payoutOperationId,
	});
	if (!envelope.Result?.PayoutOperationState) {
		throw new ItemError(
			`Payout operation ${payoutOperationId} has no state in IntellectMoney's answer`,
			'IntellectMoney answered without a PayoutOperationState. Check the Payout Operation ID.',
		);
	}
	const output = payoutOutput(envelope, payoutOperationId, {
		includeRaw: options.includeRaw === true,
		alreadyDone: false,
		testMode,
	});
	return output as unknown as IDataObject;
}
