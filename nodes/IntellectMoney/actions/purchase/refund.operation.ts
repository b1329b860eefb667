/**
 * Purchase → Release or Refund: `POST merchant/purchaseToRefund` (dev/merchant/api/purchaseToRefund).
 * One call, three effects by the invoice's state: a held amount is released to the buyer, a created
 * (unpaid) invoice is cancelled, a paid invoice is refunded (docs/intellectmoney-api.md §2.1, confirmed).
 *
 * Full amount only. The page says the method can also decrease an invoice's amount, but its field table
 * is cut before the amount field (docs/intellectmoney-api.md §7 Q5; an old client used
 * `operationAmount` on the legacy form). If IntellectMoney ignored a guessed field, a partial refund
 * would become a full one, so the node does not guess.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ENDPOINTS } from '../../../../shared/signature';
import { merchantReceiptOption, optionsCollection } from '../common/descriptions';
import type { ItemScope, RunScope } from '../scope';
import { purchaseActionOutput } from './output';
import { readPurchaseRequest, sendPurchaseAction } from './purchaseFlow';
import type { PurchaseActionPolicy } from './purchaseFlow';
import { purchaseConcurrencyKey, purchaseTargetProperties } from './target';

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

const policy: PurchaseActionPolicy = {
	endpoint: ENDPOINTS.refundPurchase,
	// InvoiceData states (docs/intellectmoney-api.md §4.1): `Refund` is the state after
	// purchaseToRefund; it acts on Created, Held and Paid. A refund of a paid invoice may show late
	// (the invoice still reads Paid for a while), so after a lost answer Paid proves nothing.
	classify: (state) =>
		state === 'refund'
			? 'done'
			: state === 'paid'
				? 'pendingMayLag'
				: state === 'created' || state === 'held'
					? 'pending'
					: 'other',
	// IntellectMoney publishes no rule that refuses a second refund of a paid invoice: a re-run (or
	// n8n's Retry On Fail) reads the invoice first, when it can, instead of sending blindly.
	readFirst: true,
	messages: {
		notReadFirst: (invoiceId) =>
			`Invoice ${invoiceId} was not refunded: its state could not be read first`,
		repeatRule:
			'The node sends a refund again only once IntellectMoney shows the invoice unchanged, never on a lost answer alone.',
		maybeRepeat:
			'If an earlier run or attempt already released or refunded this purchase, this refusal is expected and nothing was refunded twice',
		otherState: () => 'only a Created, Held or Paid invoice can be released or refunded',
	},
};

export async function execute(item: ItemScope, run: RunScope): Promise<IDataObject> {
	const request = await readPurchaseRequest(item, run);
	const result = await sendPurchaseAction(run, request, policy);
	return purchaseActionOutput('refunded', request, result);
}

export const concurrencyKey = purchaseConcurrencyKey;
