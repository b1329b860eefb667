/**
 * Account → Check Setup: read-only, moves no money. Calls every read the package relies on (the user
 * token, getAccountData, getInvoicesHistory over a short window, the invoice and the payout the
 * operator names, a read IntellectMoney must refuse) and checks a pasted notification with the Shop
 * Secret Key. One output item per inference of shared/inferences/table.ts: what the package assumes,
 * what the live answer showed (field names, types and shapes only), held / not held / not checked,
 * and the section of docs/intellectmoney-api.md it tests. Safe to paste into a public bug report.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../../shared/credential';
import { INFERENCES, SETUP_PROBES } from '../../../../shared/inferences/table';
import type { SetupProbe } from '../../../../shared/inferences/table';
import { imDate } from '../../../../shared/moscowTime';
import { ENDPOINTS } from '../../../../shared/signature';
import { ItemError } from '../../errors';
import { validateInvoiceId, validatePayoutOperationId } from '../../validation/identifiers';
import { requireSignedText } from '../../validation/text';
import { timeoutOption } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';
import { judgeNotification } from './setupNotification';
import {
	invoiceDates,
	judgeAccountData,
	judgeDates,
	judgeInvoiceList,
	judgeInvoiceRead,
	judgePayoutState,
	judgeRefusalShape,
	judgeUserToken,
	probe,
} from './setupReads';
import type { ReadOutcome, Verdict } from './setupReads';

const HOUR_MS = 60 * 60 * 1000;
/** A payout id no operation has (a GUID, version 4 form): the method must answer "not found". */
const NO_SUCH_PAYOUT = '00000000-0000-4000-8000-000000000000';
/** An account no user has: IntellectMoney must refuse it. */
const NO_SUCH_ACCOUNT = '0';

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads only, moves no money. One item per inference of the package: paste the output into a bug ' +
			'report, it holds no keys, tokens, amounts or names.',
		name: 'checkSetupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1234567',
		description:
			'Optional: one of your IntellectMoney accounts, to check how its balance is answered',
	},
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 3000001001',
		description: 'Optional: an invoice of the shop, to check how its state is answered',
	},
	{
		displayName: 'Payout Operation ID',
		name: 'payoutOperationId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
		description:
			'Optional: a payout operation, to check how its state is answered (it is only read)',
	},
	{
		displayName: 'Notification Body',
		name: 'notificationBody',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'eshopId=450000&orderId=…&hash=…',
		description:
			'Optional: one notification IntellectMoney sent to your Result URL, as its raw form body or a ' +
			'JSON object of its fields, to check that the Shop Secret Key verifies it',
	},
	{
		displayName: 'History Window (Hours)',
		name: 'windowHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 168 },
		default: 24,
		description: 'How far back the invoice list is read (getInvoicesHistory from then to now)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [timeoutOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['checkSetup'] } },
	properties,
);

/** An optional text parameter: '' when left empty. */
function optionalText(item: ItemScope, name: string): string {
	const value = item.param(name, '');
	return typeof value === 'string' ? value.trim() : String(value ?? '').trim();
}

function windowHours(value: unknown): number {
	const hours = Number(value === '' || value === undefined || value === null ? 24 : value);
	if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
		throw new ItemError(
			'History Window (Hours) must be a whole number from 1 to 168',
			'Set History Window (Hours) to how far back the invoice list is read, e.g. 24.',
		);
	}
	return hours;
}

/** Why nothing was read from the Personal API, for every fact that needs it. */
function allNotChecked(seen: string): Partial<Record<SetupProbe, Verdict>> {
	const verdict: Verdict = { result: 'not checked', seen };
	return {
		'account-data': verdict,
		'invoice-list': verdict,
		'invoice-read': verdict,
		dates: verdict,
		'refusal-probe': verdict,
	};
}

export async function execute(item: ItemScope, run: RunScope): Promise<IDataObject[]> {
	// Bad input is refused before anything is sent.
	const accountIdText = optionalText(item, 'accountId');
	const accountId = accountIdText === '' ? '' : requireSignedText(accountIdText, 'Account ID', 50);
	const invoiceIdText = optionalText(item, 'invoiceId');
	const invoiceId = invoiceIdText === '' ? '' : validateInvoiceId(invoiceIdText);
	const payoutText = optionalText(item, 'payoutOperationId');
	const payoutId = payoutText === '' ? '' : validatePayoutOperationId(payoutText);
	const notificationBody = String(item.param('notificationBody', '') ?? '');
	const hours = windowHours(item.param('windowHours', 24));
	const settings = requestSettings(item.param('options', {}) as CommonOptions);
	const shop = await run.shop();

	const verdicts: Partial<Record<SetupProbe | 'payout-words', Verdict>> = {};
	const credentials = await run.node.getCredentials(CREDENTIAL_TYPE);
	const shopSecretKey =
		typeof credentials.shopSecretKey === 'string' ? credentials.shopSecretKey.trim() : '';
	verdicts.notification = judgeNotification(notificationBody, shopSecretKey);

	if (!shop.hasLogin) {
		const seen = 'Login and Password are empty in the credential: the Personal API cannot be read';
		Object.assign(verdicts, allNotChecked(seen), { 'user-token': { result: 'not checked', seen } });
		verdicts['payout-state'] = verdicts['payout-words'] = { result: 'not checked', seen };
		return items(verdicts);
	}
	const tokenRead = await probe(run, ENDPOINTS.userSession, {}, settings);
	verdicts['user-token'] = judgeUserToken(tokenRead);
	const token = 'envelope' in tokenRead ? tokenRead.envelope.Result?.UserToken : undefined;
	if (verdicts['user-token'].result !== 'held' || typeof token !== 'string') {
		const seen = 'no user token, so the Personal API was not read (see user-token-sign)';
		Object.assign(verdicts, allNotChecked(seen));
		verdicts['payout-state'] = verdicts['payout-words'] = { result: 'not checked', seen };
		return items(verdicts);
	}
	// The token lives in this call only; it is sent, never shown.
	const read = async (endpoint: Parameters<typeof probe>[1], body: Record<string, string>) =>
		await probe(run, endpoint, { UserToken: token, ...body }, settings);

	verdicts['account-data'] = accountId
		? judgeAccountData(await read(ENDPOINTS.accountData, { AccountId: accountId }))
		: { result: 'not checked', seen: 'no Account ID given' };
	const now = Date.now();
	const listed = await read(ENDPOINTS.invoiceHistory, {
		Skip: '0',
		Take: '20',
		EshopId: shop.eshopId,
		DateFrom: imDate(now - hours * HOUR_MS),
		DateTo: imDate(now),
		IncludePaymentTransactions: 'True',
	});
	verdicts['invoice-list'] = judgeInvoiceList(listed);
	const dateSources: ReadOutcome[] = [listed];
	if (invoiceId) {
		const named = await read(ENDPOINTS.invoiceHistory, {
			Skip: '0',
			Take: '1',
			EshopId: shop.eshopId,
			InvoiceId: invoiceId,
		});
		verdicts['invoice-read'] = judgeInvoiceRead(named, invoiceId);
		dateSources.push(named);
	} else {
		verdicts['invoice-read'] = { result: 'not checked', seen: 'no Invoice ID given' };
	}
	verdicts.dates = judgeDates(invoiceDates(dateSources));
	const payout = await read(ENDPOINTS.payoutState, {
		PayoutOperationId: payoutId || NO_SUCH_PAYOUT,
	});
	const { endpoint, words } = judgePayoutState(payout, payoutId !== '');
	verdicts['payout-state'] = endpoint;
	verdicts['payout-words'] = words;
	verdicts['refusal-probe'] = judgeRefusalShape(
		await read(ENDPOINTS.accountData, { AccountId: NO_SUCH_ACCOUNT }),
	);
	return items(verdicts);
}

/** One item per inference, in the table's order. */
function items(verdicts: Partial<Record<SetupProbe | 'payout-words', Verdict>>): IDataObject[] {
	return INFERENCES.map((entry) => {
		const key = entry.id === 'payout-state-words' ? 'payout-words' : entry.probe;
		const verdict: Verdict = verdicts[key] ?? {
			result: 'not checked',
			seen: 'only a money-moving request would show it, and this check moves no money',
		};
		return {
			fact: entry.id,
			result: verdict.result,
			assumption: entry.assumption,
			seen: verdict.seen,
			docSection: `docs/intellectmoney-api.md ${entry.docSection}`,
			checkedBy: SETUP_PROBES[entry.probe],
			operations: entry.operations,
			ifNotHeld: verdict.result === 'not held' ? entry.whenWrong : null,
		};
	});
}
