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
import {
	merchantReceiptOption,
	optionsCollection,
	sendAfterEarlierRunOption,
} from '../common/descriptions';
import type { ItemScope, RunScope } from '../scope';
import { purchaseActionOutput } from './output';
import { purchaseAttempt, readPurchaseRequest, sendPurchaseAction } from './purchaseFlow';
import type { PurchaseActionPolicy } from './purchaseFlow';
import { purchaseConcurrencyKey, purchaseTargetProperties } from './target';

const properties: INodeProperties[] = [
	...purchaseTargetProperties('release, cancel or refund'),
	optionsCollection(
		merchantReceiptOption(
			'when the shop fiscalises through IntellectMoney and a refund receipt is needed',
		),
		sendAfterEarlierRunOption('the release or refund'),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['refund'] } },
	properties,
);

const policy: PurchaseActionPolicy = {
	action: 'refund',
	endpoint: ENDPOINTS.refundPurchase,
	// InvoiceData states (docs/intellectmoney-api.md §4.1): `Refund` is the state after
	// purchaseToRefund; it acts on Created, Held and Paid.
	classify: (state) =>
		state === 'refund'
			? 'done'
			: state === 'paid' || state === 'created' || state === 'held'
				? 'pending'
				: 'other',
	// IntellectMoney publishes no rule that refuses a second refund of a paid invoice: a re-run reads
	// the invoice first, when it can, and an earlier run's record stops a blind repeat.
	readFirst: true,
	acrossRuns: true,
};

/** An item's release or refund, read and checked before any item is sent. */
export async function prepare(item: ItemScope, run: RunScope) {
	return await readPurchaseRequest(item, run);
}

export async function execute(
	_item: ItemScope,
	run: RunScope,
	prepared: unknown,
): Promise<IDataObject> {
	const request = prepared as Awaited<ReturnType<typeof prepare>>;
	const result = await sendPurchaseAction(run, request, policy);
	return purchaseActionOutput('refunded', request, result);
}

export const concurrencyKey = purchaseConcurrencyKey;

export const attempt = (prepared: unknown) =>
	purchaseAttempt(policy, prepared as Awaited<ReturnType<typeof prepare>>);
