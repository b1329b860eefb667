/**
 * IntellectMoney's answers as this package reads them: the envelope every API method returns
 * (docs/intellectmoney-api.md §4) and the `Result` of each method used. Shared by the node, the
 * trigger and the transport.
 */

/** `{ Code, Desc }`, used by both `OperationState` and `Result.State`. */
export interface ImState {
	Code: number;
	Desc?: string;
	/** Seen on `Result.State` as well as on `Result`: the docs do not fix its place. */
	ErrorSourceParam?: string;
}

/** Fields every `Result` may carry; `ErrorSourceParam` names the parameter a refusal is about. */
export interface ImResultBase {
	State?: ImState;
	ErrorSourceParam?: string;
}

/** Every IntellectMoney API answer (HTTP 200, JSON when asked with `Accept: application/json`). */
export interface ImEnvelope<TResult extends ImResultBase = ImResultBase> {
	/** 0 processed, 1 queued (answer comes later), 2 could not be processed. */
	OperationState?: ImState;
	OperationId?: string;
	EshopId?: number | string;
	/** `null` when the request was only queued. */
	Result?: TResult | null;
}

/** `PurchaseActionData` (purchaseToPaid): not published beyond `State` (docs/intellectmoney-api.md §7 Q6). */
export interface ImPurchaseActionData extends ImResultBase {
	InvoiceId?: string | number;
	OrderId?: string;
}

/** `PayoutOperationData` (docs/intellectmoney-api.md §2.3): only `InProcess` and `Failed` states are published. */
export interface ImPayoutOperationData extends ImResultBase {
	PayoutOperationId?: string;
	PayoutOperationState?: string;
	ErrorMessage?: string;
}

export interface ImUserTokenData extends ImResultBase {
	UserToken?: string;
}

/** `InvoiceData` of the Personal API (docs/intellectmoney-api.md §4.1, python-intellectmoney models). */
export interface ImInvoiceData {
	Id?: string | number;
	EShopId?: string | number;
	/** `Created`, `PartPaid`, `Paid`, `ToPaid`, `Refund`, `Held`. */
	State?: string;
	PurchaseOrderId?: string;
	Amount?: { Amount?: number | string; Currency?: string };
	CurrentAmount?: { Amount?: number | string; Currency?: string };
	CreationDate?: string;
	ChangeDate?: string;
	/** The invoice's payments, when asked with IncludePaymentTransactions (HistoryData). */
	HistoryList?: ImInvoicePayment[] | null;
}

/**
 * `HistoryData`, one payment of an invoice (python-intellectmoney models, docs/intellectmoney-api.md
 * §4.1): its own words for state (`Created`, `Confirm`, `Canceled`) and type (`Entry`, `Purchase`,
 * `Refund`); what each means is not published.
 */
export interface ImInvoicePayment {
	Id?: string | number;
	State?: string;
	CreationDate?: string;
	InvoicePaymentType?: string;
	PaymentAmount?: { Amount?: number | string; Currency?: string };
}

/** `CreateInvoiceData` (official SDK): the new invoice's number; PaymentWays are not used here. */
export interface ImCreateInvoiceData extends ImResultBase {
	InvoiceId?: string | number;
}

export interface ImInvoicesHistoryData extends ImResultBase {
	InvoicesHistoryList?: ImInvoiceData[];
}

/**
 * `AccountInfoData` (getAccountData): its fields are NOT published in any source found
 * (docs/intellectmoney-api.md §4.1). This package's reading, an inference: the balance is `Balance`,
 * either IntellectMoney's money object `{ Amount, Currency }` (as in InvoiceData) or a plain number
 * with `Currency` beside it; `AccountId` echoes the account asked for. Anything else is refused,
 * never read as 0.
 */
export interface ImAccountInfoData extends ImResultBase {
	AccountId?: string | number;
	Balance?: number | string | { Amount?: number | string | null; Currency?: string } | null;
	Currency?: string;
}
