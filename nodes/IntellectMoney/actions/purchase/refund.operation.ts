/**
 * Purchase → Release or Refund: `POST merchant/purchaseToRefund` (dev/merchant/api/purchaseToRefund).
 * One call, three effects by the invoice's state: a held amount is released to the buyer, a created
 * (unpaid) invoice is cancelled, a paid invoice is refunded (reference §2.1, confirmed).
 *
 * Full amount only. The page says the method can also decrease an invoice's amount, but its field table
 * is cut before the amount field (reference §7 Q5; an old client used `operationAmount` on the legacy
 * form). If IntellectMoney ignored a guessed field, a partial refund would become a full one, so the
 * node does not guess.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINTS } from '../../transport/signature';
import { merchantReceiptOption, optionsCollection } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';
import { purchaseTargetProperties, runPurchaseAction } from './purchaseAction';

const properties: INodeProperties[] = [
	...purchaseTargetProperties('release, cancel or refund'),
	optionsCollection(
		merchantReceiptOption(
			'when the shop fiscalises through IntellectMoney and a refund receipt is needed',
		),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['refund'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	return await runPurchaseAction.call(this, itemIndex, context, {
		endpoint: ENDPOINTS.refundPurchase,
		action: 'refunded',
		// InvoiceData states (reference §4.1): `Refund` is the state after purchaseToRefund; Created, Held
		// and Paid are states it acts on, so the request was not carried out yet.
		doneState: 'refund',
		pendingStates: ['created', 'held', 'paid'],
		// A refund of a paid invoice may show late (the invoice still reads Paid for a while), so
		// after a lost answer a Paid reading does not prove that nothing was refunded.
		lateEffectStates: ['paid'],
		// IntellectMoney publishes no rule that refuses a second refund of a paid invoice: a re-run
		// (or n8n's Retry On Fail) reads the invoice first, when it can, instead of sending blindly.
		readFirst: true,
		repeatRule:
			'The node sends a refund again only once IntellectMoney shows the invoice unchanged, never on a lost answer alone.',
		pastTense: 'released or refunded',
		describeOtherState: () => 'only a Created, Held or Paid invoice can be released or refunded',
	});
}

export { purchaseConcurrencyKey as concurrencyKey } from './purchaseAction';
