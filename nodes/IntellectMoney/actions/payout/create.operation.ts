/**
 * Payout → Create: `POST personal/payout/createOperation` (dev/payout/api/createOperation,
 * docs/intellectmoney-api.md §2.3). Creates a payout operation to a card or, by phone, through SBP; nothing is paid until Payout →
 * Execute sends it (wiki/88768545: create → execute → getOperationState).
 */
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties, JsonObject } from 'n8n-workflow';

import type { ImPayoutOperationData } from '../../../../shared/api';
import { ENDPOINTS } from '../../../../shared/signature';
import { throwIfRefused } from '../../../../shared/transport/refusal';
import { repeatableRequest } from '../../../../shared/transport/retry';
import { ItemError } from '../../errors';
import type { CreatePayoutOutput } from '../../outputs';
import { validateAmount, validateCeiling } from '../../validation/money';
import { validatePan, validatePhone } from '../../validation/recipients';
import { requireSignedText } from '../../validation/text';
import { maxAmountOption, optionsCollection } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';
import { payoutOutput } from './payoutState';
import { refusePayoutInTestMode } from './testMode';

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'SBP (by Phone)',
				value: 'sbp',
				description:
					'Faster Payments System: the phone number and the bank of the recipient (OutSbp)',
			},
			{
				name: 'Bank Card',
				value: 'card',
				description:
					'A Russian bank card (OutBankCard). IntellectMoney allows card payouts on the PCI DSS access level only.',
			},
		],
		default: 'sbp',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +7 900 123-45-67',
		description: 'The recipient phone linked to SBP (sent as Account)',
		displayOptions: { show: { method: ['sbp'] } },
	},
	{
		displayName: 'Bank ID',
		name: 'bankId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 100000000111',
		description: "The recipient's bank in SBP (BankId), as IntellectMoney lists it",
		displayOptions: { show: { method: ['sbp'] } },
	},
	{
		displayName: 'Card Number',
		name: 'pan',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'The recipient card number (Pan). It is never shown in output items or errors, only masked.',
		displayOptions: { show: { method: ['card'] } },
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2500.00',
		description:
			'The amount in roubles with at most two decimals: 2500 or 2500.00 (sent as exactly "2500.00", never rounded)',
	},
	{
		displayName: 'Recipient Name',
		name: 'recipientName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Иванов Иван Иванович',
		description: 'Full name of the recipient (RecipientName)',
	},
	optionsCollection(
		{
			displayName: 'Currency',
			name: 'currency',
			type: 'string',
			default: 'RUB',
			description: 'Currency of the payout, as a 3-letter code',
		},
		maxAmountOption(
			'Refuse, before anything is sent, a payout above this amount; 0 = no limit. Useful when an AI agent uses this node.',
		),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['create'] } },
	properties,
);

/** An item's payout, read and checked before any item is sent. */
export async function prepare(item: ItemScope, run: RunScope) {
	const options = item.param('options', {}) as CommonOptions & {
		currency?: string;
		maxAmount?: unknown;
	};
	const method: 'card' | 'sbp' = item.param('method') === 'card' ? 'card' : 'sbp';
	const pan = method === 'card' ? validatePan(item.param('pan')) : undefined;
	const phone = method === 'sbp' ? validatePhone(item.param('phone')) : undefined;
	const bankId =
		method === 'sbp' ? requireSignedText(item.param('bankId'), 'Bank ID', 50) : undefined;
	const amount = validateAmount(item.param('amount'), 'Amount');
	validateCeiling(options.maxAmount, amount, 'pay out');
	const recipientName = requireSignedText(item.param('recipientName'), 'Recipient Name', 255);
	// Currency is signed (createOperation's Sign, dev/payout/api/createOperation): the same checks as
	// every other signed field, and a 3-letter code.
	const currency = requireSignedText(options.currency ?? 'RUB', 'Currency', 3).toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency)) {
		throw new ItemError(
			`Currency "${currency}" is not a 3-letter code`,
			'Set Options → Currency to a currency code such as RUB.',
		);
	}
	const settings = requestSettings(options);
	const { eshopId, testMode } = await run.shop();
	refusePayoutInTestMode(testMode);
	return {
		options,
		method,
		pan,
		phone,
		bankId,
		amount,
		recipientName,
		currency,
		settings,
		eshopId,
		testMode,
	};
}

export async function execute(
	_item: ItemScope,
	run: RunScope,
	prepared: unknown,
): Promise<IDataObject> {
	const {
		options,
		method,
		pan,
		phone,
		bankId,
		amount,
		recipientName,
		currency,
		settings,
		eshopId,
		testMode,
	} = prepared as Awaited<ReturnType<typeof prepare>>;
	const userToken = await run.userTokens.get(settings);
	const body: Record<string, string> = {
		UserToken: userToken,
		PreferenceType: method === 'card' ? 'OutBankCard' : 'OutSbp',
		Amount: amount,
		Currency: currency,
		RecipientName: recipientName,
		EshopId: eshopId,
	};
	if (pan !== undefined) body.Pan = pan;
	if (phone !== undefined) body.Account = phone;
	if (bankId !== undefined) body.BankId = bankId;

	// Creating an operation moves no money (only Execute does), so a lost answer is simply asked again:
	// at worst an extra operation stays Created and is never executed.
	const envelope = await repeatableRequest<ImPayoutOperationData>(
		run.node,
		ENDPOINTS.createPayout,
		body,
		settings,
	);
	throwIfRefused(run.node.getNode(), envelope, ENDPOINTS.createPayout, body);
	const payoutOperationId = envelope.Result?.PayoutOperationId ?? '';
	if (payoutOperationId === '' && envelope.OperationState?.Code !== 1) {
		// No operation to execute: an item without its id would send Execute nothing to act on.
		throw new NodeApiError(run.node.getNode(), { message: 'no PayoutOperationId' } as JsonObject, {
			message: 'IntellectMoney answered the payout creation without a PayoutOperationId',
			description:
				'The payout may or may not have been created: check the payouts in the IntellectMoney cabinet ' +
				'before running this again. A created payout moves no money until it is executed.',
		});
	}
	const output: CreatePayoutOutput = {
		...payoutOutput(envelope, payoutOperationId, {
			includeRaw: options.includeRaw === true,
			alreadyDone: false,
			testMode,
		}),
		method,
		amount,
		currency,
		recipientName,
		// Never the full number in an output item: first 6 and last 4 digits of a card, last 4 of a phone.
		recipient:
			pan !== undefined
				? `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`
				: `+${(phone ?? '').slice(0, 1)}******${(phone ?? '').slice(-4)}`,
		bankId: bankId ?? null,
	};
	return output as unknown as IDataObject;
}
