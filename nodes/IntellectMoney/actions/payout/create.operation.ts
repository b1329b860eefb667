/**
 * Payout → Create: `POST personal/payout/createOperation` (dev/payout/api/createOperation, reference
 * §2.3). Creates a payout operation to a card or, by phone, through SBP; nothing is paid until Payout →
 * Execute sends it (wiki/88768545: create → execute → getOperationState).
 */
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	requireSignedText,
	validateAmount,
	validateCeiling,
	validatePan,
	validatePhone,
} from '../../helpers/inputValidation';
import type { CreatePayoutOutput, ImPayoutOperationData } from '../../interfaces';
import { repeatableRequest, throwIfRefused } from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { optionsCollection, requestSettings } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';
import { payoutOutput, refusePayoutInTestMode } from './payoutOperation';

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
		{
			displayName: 'Maximum Amount',
			name: 'maxAmount',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'Refuse, before anything is sent, a payout above this amount; 0 = no limit. Useful when an AI agent uses this node.',
		},
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	const param = (name: string, fallback?: unknown) =>
		this.getNodeParameter(name, itemIndex, fallback) as unknown;
	const options = param('options', {}) as {
		currency?: string;
		includeRaw?: boolean;
		maxAmount?: unknown;
		timeoutSeconds?: unknown;
	};
	const method = param('method') === 'card' ? 'card' : 'sbp';
	const pan = method === 'card' ? validatePan(this, itemIndex, param('pan')) : undefined;
	const phone = method === 'sbp' ? validatePhone(this, itemIndex, param('phone')) : undefined;
	const bankId =
		method === 'sbp'
			? requireSignedText(this, itemIndex, param('bankId'), 'Bank ID', 50)
			: undefined;
	const amount = validateAmount(this, itemIndex, param('amount'), 'Amount');
	validateCeiling(this, itemIndex, options.maxAmount, amount, 'pay out');
	const recipientName = requireSignedText(
		this,
		itemIndex,
		param('recipientName'),
		'Recipient Name',
		255,
	);
	// Currency is signed (createOperation's Sign, dev/payout/api/createOperation): the same checks as
	// every other signed field, and a 3-letter code.
	const currency = requireSignedText(
		this,
		itemIndex,
		options.currency ?? 'RUB',
		'Currency',
		3,
	).toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency)) {
		throw new NodeOperationError(this.getNode(), `Currency "${currency}" is not a 3-letter code`, {
			itemIndex,
			description: 'Set Options → Currency to a currency code such as RUB.',
		});
	}
	const settings = requestSettings(this, itemIndex, options);
	const { eshopId, testMode } = await context.shop(itemIndex);
	refusePayoutInTestMode(this, itemIndex, testMode);

	const userToken = await context.userTokens.get(itemIndex, settings);
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
		this,
		ENDPOINTS.createPayout,
		body,
		itemIndex,
		settings,
	);
	throwIfRefused.call(this, envelope, ENDPOINTS.createPayout, itemIndex, body);
	const payoutOperationId = envelope.Result?.PayoutOperationId ?? '';
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
