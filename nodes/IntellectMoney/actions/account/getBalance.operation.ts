/**
 * Account → Get Balance: `POST personal/payment/getAccountData` (dev/personal/api/getAccountData,
 * docs/intellectmoney-api.md §2.2): the balance of one of the user's IntellectMoney accounts, now or
 * on a date, e.g. to check that a payout batch is covered before it is sent. The answer's
 * AccountInfoData fields are NOT published: which field is the balance is this package's reading
 * (shared/api.ts ImAccountInfoData), and an answer it cannot read is an error, never a balance of 0.
 * Reads move no money.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ImAccountInfoData } from '../../../../shared/api';
import { imDate, moscowIso } from '../../../../shared/moscowTime';
import { ENDPOINTS } from '../../../../shared/signature';
import { throwIfRefused } from '../../../../shared/transport/refusal';
import { repeatableRequest } from '../../../../shared/transport/retry';
import { ItemError } from '../../errors';
import type { AccountBalanceOutput } from '../../outputs';
import { readDateInput } from '../../validation/dates';
import { MAX_EXACT_DIGITS, readExactDecimal } from '../../validation/money';
import { requireSignedText } from '../../validation/text';
import { optionsCollection } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';

const properties: INodeProperties[] = [
	{
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1234567',
		description:
			'The number of your IntellectMoney account (AccountId), as the cabinet lk.intellectmoney.ru ' +
			'shows it. Needs Login and Password in the credential.',
	},
	{
		displayName: 'Balance On',
		name: 'balanceOn',
		type: 'dateTime',
		default: '',
		description:
			'The moment to read the balance for (BalanceOnDate); empty = now. Moscow time unless the value carries its zone.',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getBalance'] } },
	properties,
);

/**
 * The balance and its currency as this package reads AccountInfoData (inference), or the shape of a
 * balance it cannot carry exactly (validation/money.ts readExactDecimal), or undefined when there is none.
 */
function readBalance(
	result: ImAccountInfoData,
): { balance: string; currency: string | null } | { unreadable: string } | undefined {
	const { Balance } = result;
	const money = Balance !== null && typeof Balance === 'object' ? Balance : undefined;
	const amount = money ? money.Amount : Balance;
	if (amount === undefined || amount === null || amount === '') return undefined;
	const read = readExactDecimal(amount);
	if (read.shape !== undefined) return { unreadable: read.shape };
	const currency = money?.Currency ?? result.Currency;
	return {
		balance: read.text,
		currency: typeof currency === 'string' && currency !== '' ? currency : null,
	};
}

/** The names (never the values) of the answer's fields, to say what came instead of a balance. */
function fieldNames(result: unknown): string {
	if (result === null || typeof result !== 'object') return 'no Result';
	const names = Object.keys(result).filter((name) => /^[A-Za-z0-9_]{1,40}$/.test(name));
	return names.length === 0 ? 'no fields' : `fields ${names.slice(0, 12).join(', ')}`;
}

const BALANCE_RULE =
	"IntellectMoney does not publish AccountInfoData's fields; this node reads Balance (an amount, or { Amount, Currency }) " +
	`as digits with a dot, at most ${MAX_EXACT_DIGITS} significant digits, and never takes a missing balance as 0. ` +
	'Nothing is passed on.';

export async function execute(item: ItemScope, run: RunScope): Promise<IDataObject> {
	const accountId = requireSignedText(item.param('accountId'), 'Account ID', 50);
	const balanceOnAt = readDateInput(item.param('balanceOn', ''), 'Balance On');
	const askedAt = Date.now();
	if (balanceOnAt !== undefined && balanceOnAt > askedAt) {
		throw new ItemError(
			'Balance On is in the future',
			'A balance is known only up to now: leave Balance On empty for the current balance, or set a past moment.',
		);
	}
	const options = item.param('options', {}) as CommonOptions;
	const settings = requestSettings(options);
	const { testMode } = await run.shop();
	const query: Record<string, string> = { AccountId: accountId };
	// Not sent when empty: IntellectMoney then answers for its own "now" (the page's default).
	if (balanceOnAt !== undefined) query.BalanceOnDate = imDate(balanceOnAt);
	let signed: Record<string, string> = query;
	const envelope = await run.userTokens.read(settings, async (userToken) => {
		signed = { UserToken: userToken, ...query };
		return await repeatableRequest<ImAccountInfoData>(
			run.node,
			ENDPOINTS.accountData,
			signed,
			settings,
		);
	});
	throwIfRefused(run.node.getNode(), envelope, ENDPOINTS.accountData, signed);
	const result = envelope.Result ?? {};
	const echoed = result.AccountId;
	if (echoed !== undefined && echoed !== null && String(echoed) !== accountId) {
		throw new ItemError(
			`IntellectMoney answered about account ${String(echoed)}, not ${accountId}`,
			'The balance is not passed on. Check the Account ID and run it again.',
		);
	}
	const read = readBalance(result);
	if (read === undefined || 'unreadable' in read) {
		const shape = read === undefined ? '' : ` The balance read is ${read.unreadable}.`;
		throw new ItemError(
			`IntellectMoney's answer has no balance this node can read for account ${accountId}`,
			`getAccountData answered with ${fieldNames(envelope.Result)}.${shape} ${BALANCE_RULE}`,
		);
	}
	const output: AccountBalanceOutput = {
		accountId,
		...read,
		balanceOn: moscowIso(balanceOnAt ?? askedAt),
		testMode,
		...(options.includeRaw === true ? { raw: envelope as unknown as IDataObject } : {}),
	};
	return output as unknown as IDataObject;
}
