/**
 * Purchase → Get Many: the shop's invoices as IntellectMoney's Personal API lists them
 * (`personal/payment/getInvoicesHistory`, docs/intellectmoney-api.md §2.2), one output item per
 * invoice, with Get State's typed shape and, for a held invoice, when its hold ends (holdExpiry.ts).
 * The date ranges are IntellectMoney's own documented search fields (DateFrom/DateTo on the creation
 * date, ChangeDateFrom/ChangeDateTo on the last change), sent in Moscow time and checked again on
 * what comes back; the state and "expiring within" filters are applied here, on InvoiceData.State.
 * IsHoldingSearch is never sent: its meaning is not published, and python-intellectmoney names its
 * values WithoutOrganizations / WithOrganizations (a search across a holding's organizations), not
 * "held invoices only". Reads move no money.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ImInvoiceData } from '../../../../shared/api';
import { imDate, readImDate } from '../../../../shared/moscowTime';
import { ItemError } from '../../errors';
import type { InvoiceListItemOutput } from '../../outputs';
import { readDateInput, validateDateRange, validateHoldTime } from '../../validation/dates';
import { optionsCollection } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';
import { holdTiming } from './holdExpiry';
import { MAX_INVOICES, readInvoicePages } from './invoicePages';
import { invoiceStateOutput, stateOf } from './invoiceState';

const dateFilter = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	description: `${description}, included. Moscow time unless the value carries its zone, e.g. {{ $now.minus({ days: 1 }) }}.`,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_INVOICES, numberPrecision: 0 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'State',
		name: 'state',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'Created (Not Paid)', value: 'created' },
			{ name: 'Held (Waiting for Capture)', value: 'held' },
			{ name: 'Paid', value: 'paid' },
			{ name: 'Partially Paid', value: 'partPaid' },
			{
				name: 'Refund (Released, Cancelled or Refunded)',
				value: 'refund',
			},
			{
				name: 'ToPaid',
				value: 'toPaid',
				description: "IntellectMoney's ToPaid state; its meaning is not published",
			},
		],
		default: 'any',
		description: "Only invoices in this state (IntellectMoney's InvoiceData.State)",
	},
	{
		displayName: 'Expiring Within (Hours)',
		name: 'expiringWithinHours',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 119, numberPrecision: 0 },
		default: 0,
		description:
			'Only held invoices whose hold ends within this many hours from now (already ended included); 0 ' +
			'= every held invoice. A held invoice whose hold start cannot be told is kept, with holdExpiresAt empty.',
		displayOptions: { show: { state: ['held'] } },
	},
	{
		displayName: 'Hold Time (Hours)',
		name: 'holdTimeHours',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 119, numberPrecision: 0 },
		default: 72,
		description:
			"The Hold Time your shop's invoices are created with (Create Invoice's default is 72; " +
			"IntellectMoney's maximum is 119). A hold ends this long after the buyer paid: holdExpiresAt.",
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			dateFilter('Created From', 'createdFrom', 'Invoices created at or after this time'),
			dateFilter('Created To', 'createdTo', 'Invoices created at or before this time'),
			dateFilter('Changed From', 'changedFrom', 'Invoices last changed at or after this time'),
			dateFilter('Changed To', 'changedTo', 'Invoices last changed at or before this time'),
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['purchase'], operation: ['getAll'] } },
	properties,
);

/** The search fields (sent) and their instants (checked again on what comes back). */
const DATE_FIELDS = [
	{ name: 'createdFrom', label: 'Created From', field: 'DateFrom', on: 'CreationDate', from: true },
	{ name: 'createdTo', label: 'Created To', field: 'DateTo', on: 'CreationDate', from: false },
	{
		name: 'changedFrom',
		label: 'Changed From',
		field: 'ChangeDateFrom',
		on: 'ChangeDate',
		from: true,
	},
	{ name: 'changedTo', label: 'Changed To', field: 'ChangeDateTo', on: 'ChangeDate', from: false },
] as const;

type DateBound = (typeof DATE_FIELDS)[number] & { at: number };

function readDateBounds(filters: Record<string, unknown>): DateBound[] {
	const bounds = DATE_FIELDS.map((spec) => ({
		...spec,
		at: readDateInput(filters[spec.name], spec.label),
	}));
	const range = (from: number, to: number) =>
		validateDateRange(
			{ field: bounds[from].label, at: bounds[from].at },
			{ field: bounds[to].label, at: bounds[to].at },
		);
	range(0, 1);
	range(2, 3);
	return bounds.filter((bound): bound is DateBound => bound.at !== undefined);
}

/** A whole number from `min` to `max`, or the field's error. */
function wholeNumber(value: unknown, field: string, min: number, max: number, fix: string): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new ItemError(`${field} must be a whole number from ${min} to ${max}`, fix);
	}
	return number;
}

/** The State filter in lower case; an expression's value that is no state is refused. */
function readState(value: unknown): string {
	const states = ['any', 'created', 'held', 'paid', 'partpaid', 'refund', 'topaid'];
	const state = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (!states.includes(state)) {
		throw new ItemError(
			`State "${String(value)}" is not an invoice state`,
			'Set State to Any, Created, Held, Paid, Partially Paid (partPaid), Refund or ToPaid.',
		);
	}
	return state;
}

/** Within the bounds, where the invoice's date can be read (IntellectMoney filtered it already). */
function withinBounds(invoice: ImInvoiceData, bounds: DateBound[]): boolean {
	return bounds.every((bound) => {
		const at = readImDate(invoice[bound.on]);
		return at === undefined || (bound.from ? at >= bound.at : at <= bound.at);
	});
}

export async function execute(item: ItemScope, run: RunScope): Promise<IDataObject[]> {
	const limit =
		item.param('returnAll', false) === true
			? undefined
			: wholeNumber(
					item.param('limit', 50),
					'Limit',
					1,
					MAX_INVOICES,
					'Set Limit to how many invoices to return, e.g. 50, or turn on Return All.',
				);
	const state = readState(item.param('state', 'any'));
	const holdTimeHours = Number(validateHoldTime(item.param('holdTimeHours', 72)));
	const expiringWithinHours =
		state === 'held'
			? wholeNumber(
					item.param('expiringWithinHours', 0),
					'Expiring Within (Hours)',
					0,
					119,
					'Set Expiring Within (Hours) to how many hours ahead to look, e.g. 12, or 0 for every held invoice.',
				)
			: 0;
	const bounds = readDateBounds(item.param('filters', {}) as Record<string, unknown>);
	const options = item.param('options', {}) as CommonOptions;
	const settings = requestSettings(options);
	const shop = await run.shop();

	const query: Record<string, string> = { EshopId: shop.eshopId };
	for (const bound of bounds) query[bound.field] = imDate(bound.at);
	const expiringBy =
		expiringWithinHours > 0 ? Date.now() + expiringWithinHours * 60 * 60 * 1000 : undefined;
	const output: IDataObject[] = [];
	await readInvoicePages(run, query, settings, (invoices) => {
		for (const invoice of invoices) {
			if (state !== 'any' && stateOf(invoice) !== state) continue;
			if (!withinBounds(invoice, bounds)) continue;
			const { expiresAt, ...hold } = holdTiming(invoice, holdTimeHours);
			// A hold whose end cannot be told is kept: it may be about to end.
			if (expiringBy !== undefined && expiresAt !== undefined && expiresAt > expiringBy) continue;
			const { raw, ...shaped } = invoiceStateOutput(invoice, shop, options.includeRaw === true);
			const listed: InvoiceListItemOutput = { ...shaped, ...hold, ...(raw ? { raw } : {}) };
			output.push(listed as unknown as IDataObject);
			if (limit !== undefined && output.length >= limit) return false;
		}
		return true;
	});
	return output;
}
