/**
 * Purchase → Capture: `POST merchant/purchaseToPaid` (docs/intellectmoney-api.md §2.1,
 * developer.intellectmoney.ru/merchant/api/purchaseToPaid).
 * Transfers the amount held on an invoice (two-stage payment) to the shop.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ENDPOINTS } from '../../../../shared/signature';
import type { RequestSettings } from '../../../../shared/transport/request';
import { inferenceError } from '../../../../shared/inferences/error';
import { outcomeError } from '../../atMostOnce/errors';
import { ItemError } from '../../errors';
import { validateMaxAmount } from '../../validation/money';
import {
	maxAmountOption,
	merchantReceiptOption,
	optionsCollection,
	sendAfterEarlierRunOption,
} from '../common/descriptions';
import type { ItemScope, RunScope } from '../scope';
import { lookUpInvoice } from './invoiceLookup';
import { purchaseActionOutput } from './output';
import { purchaseAttempt, readPurchaseRequest, sendPurchaseAction } from './purchaseFlow';
import type { PurchaseActionOptions, PurchaseActionPolicy } from './purchaseFlow';
import { purchaseConcurrencyKey, purchaseTargetProperties } from './target';

const properties: INodeProperties[] = [
	...purchaseTargetProperties('capture'),
	optionsCollection(
		maxAmountOption(
			'Refuse to capture an invoice holding more than this (in its currency); 0 = no limit. The node ' +
				'reads the held amount first, so this needs Identify By Invoice ID and Login and Password in ' +
				'the credential. Useful when an AI agent uses this node.',
		),
		merchantReceiptOption(
			'when the shop fiscalises through IntellectMoney and the receipt changes with this capture',
		),
		sendAfterEarlierRunOption('the capture'),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['capture'] } },
	properties,
);

const policy: PurchaseActionPolicy = {
	action: 'capture',
	endpoint: ENDPOINTS.capturePurchase,
	// InvoiceData states (docs/intellectmoney-api.md §4.1): Held = still waiting; Paid = the held
	// amount was transferred.
	classify: (state) => (state === 'paid' ? 'done' : state === 'held' ? 'pending' : 'other'),
	// purchaseToPaid acts only on a held invoice (docs/intellectmoney-api.md §2.1: "по захолдированному
	// СКО"), so a first capture needs no read first: IntellectMoney's refusal of a Created or Refund
	// invoice says why. But the node does not rely on IntellectMoney refusing a repeat: a capture is
	// recorded across runs, so a re-run (or a repeated held notification) reads the invoice (Paid →
	// alreadyDone) or, when it cannot tell, sends nothing.
	readFirst: false,
	acrossRuns: true,
};

interface CaptureOptions extends PurchaseActionOptions {
	maxAmount?: unknown;
}

/** An item's capture, read and checked before any item is sent. */
export async function prepare(item: ItemScope, run: RunScope) {
	const request = await readPurchaseRequest<CaptureOptions>(item, run);
	const maxAmount = validateMaxAmount(request.options.maxAmount, request.target.invoiceId);
	return { request, maxAmount };
}

export async function execute(
	_item: ItemScope,
	run: RunScope,
	prepared: unknown,
): Promise<IDataObject> {
	const { request, maxAmount } = prepared as Awaited<ReturnType<typeof prepare>>;
	const { invoiceId } = request.target;
	if (maxAmount !== undefined && invoiceId !== undefined) {
		await assertWithinMaxAmount(run, request.shop.eshopId, invoiceId, maxAmount, request.settings);
	}
	const result = await sendPurchaseAction(run, request, policy);
	return purchaseActionOutput('captured', request, result);
}

export const concurrencyKey = purchaseConcurrencyKey;

export const attempt = (prepared: unknown) =>
	purchaseAttempt(policy, (prepared as Awaited<ReturnType<typeof prepare>>).request);

/**
 * Refuses, before anything moves, to capture an invoice that holds more than `maxAmount`: checked
 * against IntellectMoney's own figure (CurrentAmount, else Amount, of the Personal API's InvoiceData).
 * Fails closed: an amount that is missing, empty or not a positive number is never read as 0.
 */
async function assertWithinMaxAmount(
	run: RunScope,
	eshopId: string,
	invoiceId: string,
	maxAmount: number,
	settings: RequestSettings,
): Promise<void> {
	const lookup = await lookUpInvoice(run, eshopId, invoiceId, settings);
	if (lookup.wrongEndpoint !== undefined) {
		const { inference, seen } = lookup.wrongEndpoint;
		const what = `Could not read the amount of invoice ${invoiceId}: not captured`;
		throw outcomeError('notSent', inferenceError(run.node.getNode(), inference, what, seen));
	}
	const money = lookup.found?.invoice.CurrentAmount ?? lookup.found?.invoice.Amount;
	const amount = positiveAmount(money?.Amount);
	if (amount === undefined) {
		throw new ItemError(
			`Could not read the amount of invoice ${invoiceId}: not captured`,
			`Maximum Amount is set, so the node reads the held amount before capturing, and it found ` +
				`${lookup.why ?? 'no positive amount in the invoice'}. Check the Invoice ID and Login and ` +
				`Password in the credential, or clear Maximum Amount.`,
			'notSent',
		);
	}
	if (amount > maxAmount) {
		throw new ItemError(
			`Invoice ${invoiceId} holds ${amount.toFixed(2)}${money?.Currency ? ` ${money.Currency}` : ''}, ` +
				`more than the Maximum Amount ${maxAmount.toFixed(2)}: not captured`,
			'Raise Options → Maximum Amount if this capture is intended, or capture it by hand in the IntellectMoney cabinet.',
			'notSent',
		);
	}
}

/** An amount from IntellectMoney's data: a positive finite number (or its decimal text), else undefined. */
function positiveAmount(value: unknown): number | undefined {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
	const amount = Number(text);
	return Number.isFinite(amount) && amount > 0 ? amount : undefined;
}
