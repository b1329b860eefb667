/**
 * This node's output items. The field names are a public contract: the README documents the same
 * names, and IF/Switch nodes downstream branch on them. IntellectMoney's own answers are typed in
 * shared/api.ts.
 */
import type { IDataObject } from 'n8n-workflow';

/** IntellectMoney's `{ Code, Desc }`, renamed for n8n users. */
export interface StateOutput {
	code: number;
	description: string;
}

/** What every output item says about how IntellectMoney took the request. */
export interface OperationOutput {
	/** `Result.State` (null when IntellectMoney only queued the request). */
	state: StateOutput | null;
	/** `OperationState`: code 1 means queued, not done. */
	operationState: StateOutput;
	operationId: string | null;
	/** `Result.State.Desc` when IntellectMoney answered "success with warnings" (code 1). */
	warning: string | null;
	/**
	 * True when the money had already moved for this request: by an earlier run, or by this run's own
	 * request whose answer was lost. Nothing was moved twice; the state fields come from a state read.
	 */
	alreadyDone: boolean;
	/** True when the credential is in Test Mode (TST currency): no real money was meant to move. */
	testMode: boolean;
	/** The whole answer, only with the "Include Raw Response" option. */
	raw?: IDataObject;
}

/** Purchase → Capture. */
export interface CapturePurchaseOutput extends OperationOutput {
	eshopId: string;
	orderId: string | null;
	invoiceId: string | null;
	/** True only when IntellectMoney confirmed the capture; false while it is queued. */
	captured: boolean;
	status: 'captured' | 'queued';
}

/** Purchase → Release or Refund. */
export interface RefundPurchaseOutput extends OperationOutput {
	eshopId: string;
	orderId: string | null;
	invoiceId: string | null;
	/**
	 * True once IntellectMoney confirmed it: a held amount released, a created invoice cancelled, or a
	 * paid invoice refunded (which one depends on the invoice's state; IntellectMoney does one call).
	 */
	refunded: boolean;
	status: 'refunded' | 'queued';
}

/** Purchase → Create Invoice. */
export interface CreateInvoiceOutput extends OperationOutput {
	eshopId: string;
	orderId: string;
	invoiceId: string | null;
	/** The page the buyer pays on: https://merchant.intellectmoney.ru/?InvoiceId=… */
	paymentUrl: string | null;
	/** Exactly as sent: "1500.00". */
	amount: string;
	currency: string;
	holdMode: boolean;
	holdTimeHours: number | null;
	/** As sent, Moscow time: "2026-12-01 18:00:00". */
	expireDate: string | null;
	status: 'created' | 'queued';
}

/** Purchase → Get State. */
export interface InvoiceStateOutput {
	eshopId: string;
	invoiceId: string;
	orderId: string | null;
	/** IntellectMoney's InvoiceData state: Created, Held, Paid, PartPaid, ToPaid, Refund. */
	state: string | null;
	/** True while the amount is held and waits for Capture or Release. */
	held: boolean;
	paid: boolean;
	refunded: boolean;
	amount: string | null;
	currentAmount: string | null;
	currency: string | null;
	/**
	 * InvoiceData.CreationDate / ChangeDate, ISO 8601 in Moscow time with its offset:
	 * "2026-11-20T10:15:00+03:00" (IntellectMoney writes them without a zone; read as Moscow time).
	 * null when IntellectMoney sent no readable date.
	 */
	createdAt: string | null;
	changedAt: string | null;
	testMode: boolean;
	raw?: IDataObject;
}

/** Purchase → Get Many: one per invoice, Get State's shape and when a held invoice's hold ends. */
export interface InvoiceListItemOutput extends InvoiceStateOutput {
	/** When the hold began (ISO 8601, +03:00); null unless held and told by the fields below. */
	holdStartedAt: string | null;
	/**
	 * Which field told it: "payment" (the earliest confirmed payment in HistoryList) or "changeDate"
	 * (the invoice's ChangeDate, which may be later than the true start); null when not told.
	 */
	holdStartedFrom: 'payment' | 'changeDate' | null;
	/** holdStartedAt plus the Hold Time (Hours) parameter: computed, IntellectMoney sends no hold end. */
	holdExpiresAt: string | null;
}

/** Account → Get Balance. */
export interface AccountBalanceOutput {
	accountId: string;
	/**
	 * The balance as IntellectMoney sent it, as text with at least two decimals ("48250.00"), never
	 * through a rounding; read from AccountInfoData.Balance, whose fields are not published (an
	 * inference). A missing or unreadable balance is an error, never 0.
	 */
	balance: string;
	currency: string | null;
	/** The moment the balance is for (ISO 8601, +03:00): Balance On, or the time of the request. */
	balanceOn: string;
	testMode: boolean;
	raw?: IDataObject;
}

export type PayoutStatus = 'created' | 'processing' | 'completed' | 'failed' | 'other' | 'queued';

/** Every payout output item (Create, Execute, Get State). */
export interface PayoutOutput extends OperationOutput {
	payoutOperationId: string;
	/** `PayoutOperationState` as IntellectMoney sends it: `Created`, `InProcess`, `Failed`, … */
	payoutState: string | null;
	/** created → processing → completed | failed; `other` = a final state IntellectMoney did not name. */
	status: PayoutStatus;
	/** True when the payout will not change any more (anything but Created and InProcess). */
	final: boolean;
	/** True when IntellectMoney says the payout failed; `errorMessage` says why. */
	failed: boolean;
	errorMessage: string | null;
}

/** Payout → Create. */
export interface CreatePayoutOutput extends PayoutOutput {
	method: 'sbp' | 'card';
	amount: string;
	currency: string;
	recipientName: string;
	/** The recipient, masked: "+7******4567" or "220220******1234". */
	recipient: string;
	bankId: string | null;
}

/** Payout → Execute. */
export interface ExecutePayoutOutput extends PayoutOutput {
	/** With "Wait Until Final": seconds spent polling; null when not waiting. */
	waitedSeconds: number | null;
	/** With "Wait Until Final": true when the wait ran out before a final state. */
	waitTimedOut: boolean;
}
