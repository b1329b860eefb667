/**
 * Every [I] inference (docs/intellectmoney-api.md, "How sure each fact is") the shipped code depends
 * on: what the package assumes, the operations that depend on it, the Account → Check Setup fact that
 * tests it, and what the operator can do when the live API shows it wrong. docs/intellectmoney-api.md
 * §10.1 is the same table for readers; test/unit/inferences.test.mjs keeps the two in step.
 */

/**
 * The reads of Account → Check Setup (each inference is tested by one): `none` = only a money-moving
 * request would show it, so the check reports it as not checked.
 */
export const SETUP_PROBES = {
	'user-token': 'personal/user/getUserToken with the credential',
	'account-data': 'personal/payment/getAccountData of the Account ID given',
	'invoice-list': 'personal/payment/getInvoicesHistory over the last History Window (Hours)',
	'invoice-read': 'personal/payment/getInvoicesHistory of the Invoice ID given',
	dates: 'the dates in the invoices read (the list and the Invoice ID given)',
	'payout-state':
		'personal/payout/getOperationState of the Payout Operation ID given, else of an id that cannot exist',
	'refusal-probe': 'personal/payment/getAccountData of account 0, which IntellectMoney must refuse',
	notification: 'the Notification Body given, checked with the Shop Secret Key',
	none: 'nothing: only a money-moving request would show it',
} as const;

export type SetupProbe = keyof typeof SETUP_PROBES;

export interface Inference {
	/** kebab-case, stable: named in errors, setup-check items and the doc table. */
	id: string;
	/** The section of docs/intellectmoney-api.md that records it. */
	docSection: string;
	/** What the package assumes, in one sentence. */
	assumption: string;
	/** The operations that depend on it. */
	operations: string[];
	/** The read of Account → Check Setup that tests it; its output item has `fact` = this `id`. */
	probe: SetupProbe;
	/** What happens when it is wrong, and what the operator can do. */
	whenWrong: string;
}

const PERSONAL_API_OPERATIONS = [
	'Purchase → Get State, Get Many',
	'Purchase → Capture, Release, Refund (their read first)',
	'Payout → Create, Execute, Get State',
	'Account → Get Balance',
	'Trigger → Confirm Invoice',
];

const REPORT =
	'Run Account → Check Setup and attach its output to a bug report of the package (it holds no secrets and no personal data).';

export const INFERENCES: readonly Inference[] = [
	{
		id: 'user-token-sign',
		docSection: '§2.2',
		assumption:
			'personal/user/getUserToken takes Login and Password, signed ::Login::Password::::SignSecretKey, and answers a UserToken',
		operations: PERSONAL_API_OPERATIONS,
		probe: 'user-token',
		whenWrong:
			`Every Personal and Payout API operation fails before it sends anything, with "User token not ` +
			`issued". Check Login and Password first; if they are right, the Sign recipe is wrong: ${REPORT}`,
	},
	{
		id: 'payout-state-endpoint',
		docSection: '§2.3',
		assumption:
			'personal/payout/getOperationState exists at that path, takes UserToken and PayoutOperationId, ' +
			'signed UserToken::PayoutOperationId::SignSecretKey',
		operations: [
			'Payout → Execute (its read first)',
			'Payout → Get State',
			'Payout → Execute → Wait Until Final',
		],
		probe: 'payout-state',
		whenWrong:
			`Payout → Execute stops before it executes anything: it executes a payout only after reading ` +
			`that it is still Created, and that read is this method. Nothing is moved. Execute the payout by ` +
			`hand in lk.intellectmoney.ru after checking it there, and ${REPORT}`,
	},
	{
		id: 'payout-state-words',
		docSection: '§4.1',
		assumption:
			'PayoutOperationState is Created before Execute and InProcess while the bank works; any other word is final',
		operations: [
			'Payout → Execute (its read first)',
			'Payout → Get State',
			'Payout → Execute → Wait Until Final',
		],
		probe: 'payout-state',
		whenWrong:
			`A payout shown as Created by another word is taken as executed, so Execute refuses to send it ` +
			`(never twice); Wait Until Final may stop early. Check the payout in lk.intellectmoney.ru and ` +
			`${REPORT}`,
	},
	{
		id: 'account-info-balance',
		docSection: '§4.1',
		assumption:
			'AccountInfoData carries the balance in Balance, as { Amount, Currency } or an amount with Currency beside it',
		operations: ['Account → Get Balance', 'the month-end payout example (its balance check)'],
		probe: 'account-data',
		whenWrong:
			`Get Balance fails closed ("no balance this node can read"), never reading a balance as 0; a ` +
			`workflow that checks the balance first stops there. Read the balance in lk.intellectmoney.ru ` +
			`for now, and ${REPORT}`,
	},
	{
		id: 'moscow-dates',
		docSection: '§3',
		assumption:
			'IntellectMoney writes and reads dates as yyyy-MM-dd HH:mm:ss without a zone, in Moscow time (UTC+3)',
		operations: [
			'Purchase → Get Many (date filters, hold ends)',
			'Purchase → Get State (createdAt, changedAt)',
			'Account → Get Balance (Balance On)',
		],
		probe: 'dates',
		whenWrong: `Dates in outputs come out null and Get Many's date filters and hold ends are off. No money moves on a date. ${REPORT}`,
	},
	{
		id: 'refusal-error-source-param',
		docSection: '§4',
		assumption:
			'a refusal is Result.State.Code other than 0 and 1 (or OperationState.Code 2) and names the parameter at fault in ErrorSourceParam',
		operations: [
			'every operation: a refused user token is renewed once, a refused key is named in the error',
			'Purchase → Capture, Release, Refund and Payout → Execute: a refusal of the money-moving request is read as not carried out',
		],
		probe: 'refusal-probe',
		whenWrong:
			`Errors no longer name the credential field to fix, and an expired user token is not renewed ` +
			`(the run fails; run it again). No refusal is resent: a money-moving request is resent only on ` +
			`proof it was not carried out. ${REPORT}`,
	},
	{
		id: 'invoice-state-words',
		docSection: '§4.1',
		assumption:
			'InvoiceData.State is Created, PartPaid, Paid, ToPaid, Refund or Held: Held = waiting for ' +
			'capture, Paid = captured or paid, Refund = released or refunded',
		operations: [
			'Purchase → Capture, Release, Refund (their read first)',
			'Purchase → Capture → Maximum Amount',
		],
		probe: 'invoice-read',
		whenWrong:
			`A capture, release or refund whose read first finds a state it does not know does not send (the ` +
			`money stays where it is) and says so. Do it in lk.intellectmoney.ru after checking the invoice, ` +
			`and ${REPORT}`,
	},
	{
		id: 'invoice-list-shape',
		docSection: '§2.2',
		assumption:
			'getInvoicesHistory answers InvoicesHistoryList, an array of InvoiceData, filtered by InvoiceId ' +
			'and the date ranges; an empty page ends the list',
		operations: [
			'Purchase → Get State, Get Many',
			'Purchase → Capture, Release, Refund (their read first)',
			'Trigger → Confirm Invoice',
		],
		probe: 'invoice-list',
		whenWrong:
			`Get State and Get Many fail, and so does every capture, release or refund whose read first ` +
			`needs the list: they stop before sending. ${REPORT}`,
	},
	{
		id: 'notification-hash-raw',
		docSection: '§5',
		assumption:
			'a notification is verified by the MD5 of its ten hashed values as received, joined with ::, and the Shop Secret Key',
		operations: ['IntellectMoney Trigger'],
		probe: 'notification',
		whenWrong:
			'The trigger answers no OK and starts no workflow for a notification it cannot verify; ' +
			'IntellectMoney retries. Check the Shop Secret Key in the credential (not the Sign Secret Key); ' +
			'if it is right, report the notification field names the check shows.',
	},
	{
		id: 'refund-hash',
		docSection: '§2.1',
		assumption:
			"purchaseToRefund's body Hash is EshopId::OrderId::Refund::SecretKey, by analogy with purchaseToPaid",
		operations: ['Purchase → Release, Refund'],
		probe: 'none',
		whenWrong:
			'IntellectMoney refuses the release or refund naming Hash, so nothing moves; the error shows the ' +
			'string that was hashed (keys masked). Only a real release shows it: try it once on a small test ' +
			'invoice.',
	},
	{
		id: 'capture-sign-invoice-id',
		docSection: '§3',
		assumption:
			"a capture sent with only InvoiceId keeps OrderId's slot empty in the Sign (EshopId::::ToPaid::key)",
		operations: ['Purchase → Capture, Release, Refund by Invoice ID'],
		probe: 'none',
		whenWrong:
			'IntellectMoney refuses naming Sign, so nothing moves. Identify the purchase by Order ID instead, and report it.',
	},
	{
		id: 'paid-after-capture',
		docSection: '§5',
		assumption: 'after a capture IntellectMoney sends a paid notification (paymentStatus 5)',
		operations: ["IntellectMoney Trigger (workflows that wait for the capture's notification)"],
		probe: 'none',
		whenWrong:
			'A workflow waiting for that notification waits for nothing. Read the invoice with Purchase → Get State after the capture instead.',
	},
	{
		id: 'sbp-phone',
		docSection: '§2.3',
		assumption: "an SBP payout's Account is the recipient's phone as 7 and ten digits",
		operations: ['Payout → Create (SBP)'],
		probe: 'none',
		whenWrong:
			'IntellectMoney refuses the payout operation naming Account; creating an operation moves no ' +
			'money. Report the format IntellectMoney asks for.',
	},
];

/** The inference with `id`; throws for an id the table lacks (a programming error). */
export function inference(id: string): Inference {
	const found = INFERENCES.find((entry) => entry.id === id);
	if (found === undefined) throw new Error(`no inference ${id}`);
	return found;
}
