/**
 * Purchase → Capture: `POST merchant/purchaseToPaid` (seeds/004_fccea8ed138cdb48.txt).
 * Transfers the amount held on an invoice (two-stage payment) to the shop.
 */
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateMaxAmount } from '../../helpers/inputValidation';
import type { RequestSettings } from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { merchantReceiptOption, optionsCollection } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';
import { lookUpInvoice, purchaseTargetProperties, runPurchaseAction } from './purchaseAction';

const properties: INodeProperties[] = [
	...purchaseTargetProperties('capture'),
	optionsCollection(
		{
			displayName: 'Maximum Amount',
			name: 'maxAmount',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'Refuse to capture an invoice holding more than this (in its currency); 0 = no limit. The node reads the held amount first, so this needs Identify By Invoice ID and Login and Password in the credential. Useful when an AI agent uses this node.',
		},
		merchantReceiptOption(
			'when the shop fiscalises through IntellectMoney and the receipt changes with this capture',
		),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['capture'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as { maxAmount?: unknown };
	return await runPurchaseAction.call(this, itemIndex, context, {
		endpoint: ENDPOINTS.capturePurchase,
		action: 'captured',
		// InvoiceData states (reference §4.1): Held = still waiting; Paid = the held amount was transferred.
		doneState: 'paid',
		pendingStates: ['held'],
		// purchaseToPaid acts only on a held invoice (seeds/004: "по захолдированному СКО"), so a
		// repeat is refused by IntellectMoney's published rule: no read before sending is needed.
		readFirst: false,
		repeatRule: 'A second capture of a captured invoice is refused, never paid twice.',
		pastTense: 'captured',
		describeOtherState: (state) =>
			state === 'created'
				? 'nothing is held to capture (the buyer has not paid yet)'
				: state === 'refund'
					? 'it was released or refunded, so it cannot be captured'
					: 'only a Held invoice can be captured',
		beforeSending: async ({ eshopId }, target, settings) => {
			const maxAmount = validateMaxAmount(this, itemIndex, options.maxAmount, target.invoiceId);
			if (maxAmount === undefined || target.invoiceId === undefined) return;
			const invoice = { eshopId, invoiceId: target.invoiceId, maxAmount };
			await assertWithinMaxAmount.call(this, context, invoice, itemIndex, settings);
		},
	});
}

/**
 * Refuses, before anything moves, to capture an invoice that holds more than `maxAmount`: checked
 * against IntellectMoney's own figure (CurrentAmount, else Amount, of the Personal API's InvoiceData).
 * Fails closed: an amount that is missing, empty or not a positive number is never read as 0.
 */
async function assertWithinMaxAmount(
	this: IExecuteFunctions,
	context: ExecutionContext,
	target: { eshopId: string; invoiceId: string; maxAmount: number },
	itemIndex: number,
	settings: RequestSettings,
): Promise<void> {
	const { eshopId, invoiceId, maxAmount } = target;
	const lookup = await lookUpInvoice.call(this, context, eshopId, invoiceId, itemIndex, settings);
	const money = lookup.found?.invoice.CurrentAmount ?? lookup.found?.invoice.Amount;
	const amount = positiveAmount(money?.Amount);
	if (amount === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`Could not read the amount of invoice ${invoiceId}: not captured`,
			{
				itemIndex,
				description: `Maximum Amount is set, so the node reads the held amount before capturing, and it found ${lookup.why ?? 'no positive amount in the invoice'}. Check the Invoice ID and Login and Password in the credential, or clear Maximum Amount.`,
			},
		);
	}
	if (amount > maxAmount) {
		throw new NodeOperationError(
			this.getNode(),
			`Invoice ${invoiceId} holds ${amount.toFixed(2)}${money?.Currency ? ` ${money.Currency}` : ''}, more than the Maximum Amount ${maxAmount.toFixed(2)}: not captured`,
			{
				itemIndex,
				description:
					'Raise Options → Maximum Amount if this capture is intended, or capture it by hand in the IntellectMoney cabinet.',
			},
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

export { purchaseConcurrencyKey as concurrencyKey } from './purchaseAction';
