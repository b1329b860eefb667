/**
 * Which invoice a purchase operation acts on: the Identify By choice (Order ID or Invoice ID), its UI
 * properties, reading and checking it, and the body fields that name it.
 */
import type { INodeProperties } from 'n8n-workflow';

import { validateInvoiceId, validateOrderId } from '../../validation/identifiers';
import type { ItemScope } from '../scope';

/** How a purchase operation names its invoice. */
export type PurchaseIdentifier = 'orderId' | 'invoiceId';

export interface PurchaseTarget {
	orderId?: string;
	invoiceId?: string;
}

/** Identify By + Order ID / Invoice ID, for an operation that `verb`s an invoice ("capture", …). */
export function purchaseTargetProperties(verb: string): INodeProperties[] {
	return [
		{
			displayName: 'Identify By',
			name: 'identifyBy',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Invoice ID',
					value: 'invoiceId',
					description: "IntellectMoney's 10-digit invoice number, starting with 3",
				},
				{
					name: 'Order ID',
					value: 'orderId',
					description:
						'Your own purchase number, sent as OrderId when the invoice was created. Works while the shop ' +
						'option "Accept only a unique purchase number" is on (the default).',
				},
			],
			default: 'orderId',
			description: `How to tell IntellectMoney which invoice to ${verb}`,
		},
		{
			...orderIdProperty('Your purchase number (OrderId), at most 50 characters'),
			displayOptions: { show: { identifyBy: ['orderId'] } },
		},
		{
			...invoiceIdProperty(
				"IntellectMoney's invoice number (InvoiceId): 10 digits starting with 3",
			),
			displayOptions: { show: { identifyBy: ['invoiceId'] } },
		},
	];
}

/** The Order ID field (OrderId, docs/intellectmoney-api.md §2.1: at most 50 characters), with what it is for here. */
export function orderIdProperty(description: string): INodeProperties {
	return {
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order-1001',
		description,
	};
}

/** The Invoice ID field (InvoiceId, docs/intellectmoney-api.md §2.1: 3xxxxxxxxx), with what it is for here. */
export function invoiceIdProperty(description: string): INodeProperties {
	return {
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 3000001001',
		description,
	};
}

/**
 * The invoice an item targets, read cheaply without checks: with Parallel Requests, items for one
 * invoice never run at the same time, so a repeat sees the first one's effect as in sequential mode.
 */
export function purchaseConcurrencyKey(item: ItemScope): string | undefined {
	const identifyBy = item.param('identifyBy') as PurchaseIdentifier;
	const value = item.param(identifyBy);
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	return `${identifyBy}:${String(value).trim()}`;
}

/** The item's Order ID or Invoice ID, validated. */
export function readPurchaseTarget(item: ItemScope): PurchaseTarget {
	const identifyBy = item.param('identifyBy') as PurchaseIdentifier;
	const value = item.param(identifyBy);
	return identifyBy === 'orderId'
		? { orderId: validateOrderId(value) }
		: {
				invoiceId: validateInvoiceId(
					value,
					' To use your own purchase number instead, set Identify By to Order ID.',
				),
			};
}

/**
 * The body fields that name the invoice. Exactly one identifier is sent; with InvoiceId only, OrderId
 * is an empty segment of Sign and Hash (docs/intellectmoney-api.md §3 vector 3, §7 Q2): the signing
 * helper writes '' for it.
 */
export function targetFields(eshopId: string, target: PurchaseTarget): Record<string, string> {
	const body: Record<string, string> = { EshopId: eshopId };
	if (target.orderId !== undefined) body.OrderId = target.orderId;
	if (target.invoiceId !== undefined) body.InvoiceId = target.invoiceId;
	return body;
}
