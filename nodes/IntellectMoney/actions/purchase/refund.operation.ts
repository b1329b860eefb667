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

import { validateMerchantReceipt } from '../../helpers/inputValidation';
import type { ImPurchaseActionData } from '../../interfaces';
import { intellectMoneyApiRequest } from '../../transport';
import { sendMoneyMovingRequest } from '../../transport/moneyMoving';
import type { MoneyState } from '../../transport/moneyMoving';
import { ENDPOINTS } from '../../transport/signature';
import {
	includeRawOption,
	parallelRequestsOption,
	requestSettings,
	timeoutOption,
} from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';
import {
	lookUpInvoice,
	purchaseActionOutput,
	purchaseTargetProperties,
	readPurchaseTarget,
	targetFields,
	unreadableStateReason,
} from './purchaseTarget';

const properties: INodeProperties[] = [
	...purchaseTargetProperties('release, cancel or refund'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			includeRawOption,
			timeoutOption,
			parallelRequestsOption,
			{
				displayName: 'Merchant Receipt',
				name: 'merchantReceipt',
				type: 'json',
				default: '',
				description:
					'Online cash-register receipt (54-FZ) as a JSON object, when the shop fiscalises through IntellectMoney and a refund receipt is needed',
			},
		],
	},
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
	const target = readPurchaseTarget.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		includeRaw?: boolean;
		merchantReceipt?: unknown;
		timeoutSeconds?: unknown;
	};
	const merchantReceipt = validateMerchantReceipt(this, itemIndex, options.merchantReceipt);
	const settings = requestSettings(this, itemIndex, options);
	const { eshopId, testMode } = await context.shop(itemIndex);

	const body = targetFields(eshopId, target);
	if (merchantReceipt !== undefined) body.MerchantReceipt = merchantReceipt;
	const includeRaw = options.includeRaw === true;
	const identity = { eshopId, testMode, ...target };

	const outcome = await sendMoneyMovingRequest<ImPurchaseActionData>(this, itemIndex, {
		endpoint: ENDPOINTS.refundPurchase,
		body: () => body,
		send: async () =>
			await intellectMoneyApiRequest.call(
				this,
				ENDPOINTS.refundPurchase,
				body,
				itemIndex,
				settings,
			),
		// InvoiceData states (reference §4.1): `Refund` is the state after purchaseToRefund; Created, Held
		// and Paid are states it acts on, so the request was not carried out yet.
		readState: async (): Promise<MoneyState> => {
			const found = await lookUpInvoice.call(this, context, eshopId, target, itemIndex, settings);
			const state = found?.invoice.State?.toLowerCase();
			if (state === 'created' || state === 'held' || state === 'paid') return 'notDone';
			if (found && state === 'refund') {
				const orderId = target.orderId ?? found.invoice.PurchaseOrderId;
				return {
					done: purchaseActionOutput('refunded', { ...identity, orderId }, found.envelope, {
						includeRaw,
						alreadyDone: true,
					}),
				};
			}
			return 'unknown';
		},
		unknownStateAdvice: `The node cannot check the invoice's state${unreadableStateReason(target)}: check it in the IntellectMoney cabinet before running this again. A second refund of a refunded invoice is refused, never paid twice.`,
		refusalNote:
			'If an earlier run or attempt already released or refunded this purchase, this refusal is expected and nothing was refunded twice: check the invoice in the IntellectMoney cabinet. To have such repeats reported as alreadyDone, identify the invoice by Invoice ID and set Login and Password in the credential.',
	});
	return (
		outcome.done ??
		purchaseActionOutput('refunded', identity, outcome.envelope, { includeRaw, alreadyDone: false })
	);
}

export { purchaseConcurrencyKey as concurrencyKey } from './purchaseTarget';
