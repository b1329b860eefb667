/**
 * The reads of Account → Check Setup and what each shows of the package's inferences
 * (shared/inferences/table.ts). Reads only: no request here moves money. Each verdict's `seen` holds
 * field names, types and shapes only (shared/inferences/shape.ts), never a value of the answer.
 */
import type { ImEnvelope, ImInvoiceData } from '../../../../shared/api';
import {
	endpointLooksWrong,
	envelopeShape,
	readableBalance,
} from '../../../../shared/inferences/endpointLooksWrong';
import { dateFormatOf, describeShape } from '../../../../shared/inferences/shape';
import { ENDPOINTS } from '../../../../shared/signature';
import type { IntellectMoneyEndpoint } from '../../../../shared/signature';
import { asTransportFailure } from '../../../../shared/transport/answer';
import { invoiceIn } from '../../../../shared/transport/reads';
import { errorSourceParam, isRefusal, refusalTitle } from '../../../../shared/transport/refusal';
import type { RequestSettings } from '../../../../shared/transport/request';
import { repeatableRequest } from '../../../../shared/transport/retry';
import { payoutStatus } from '../payout/payoutState';
import type { RunScope } from '../scope';

export type SetupResult = 'held' | 'not held' | 'not checked';

export interface Verdict {
	result: SetupResult;
	seen: string;
}

/** A read's outcome: IntellectMoney's envelope, or the failure that came instead. */
export type ReadOutcome = { envelope: ImEnvelope<Record<string, unknown>> } | { failure: unknown };

const notChecked = (seen: string): Verdict => ({ result: 'not checked', seen });

/** One read, never throwing: reads are repeatable, so transport failures are retried first. */
export async function probe(
	run: RunScope,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string>,
	settings: RequestSettings,
): Promise<ReadOutcome> {
	try {
		return { envelope: await repeatableRequest(run.node, endpoint, body, settings) };
	} catch (failure) {
		return { failure };
	}
}

/** The node's own words for a failure (the transport's messages hold no foreign byte). */
function failureWords(failure: unknown): string {
	const transport = asTransportFailure(failure);
	return transport ? transport.error.message : 'the request failed';
}

/**
 * The common part of every verdict: a failure or an answer that shows the endpoint wrong is
 * `not held`, another failure or a refusal `not checked`; a success goes to `onSuccess`.
 */
export function judge(
	endpoint: IntellectMoneyEndpoint,
	outcome: ReadOutcome,
	onSuccess: (
		result: Record<string, unknown>,
		envelope: ImEnvelope<Record<string, unknown>>,
	) => Verdict,
	onRefusal?: (envelope: ImEnvelope<Record<string, unknown>>) => Verdict,
): Verdict {
	const answer = 'envelope' in outcome ? outcome.envelope : outcome.failure;
	const wrong = endpointLooksWrong(endpoint, answer);
	if (wrong) return { result: 'not held', seen: wrong.shape };
	if (!('envelope' in outcome))
		return notChecked(`no usable answer: ${failureWords(outcome.failure)}`);
	const { envelope } = outcome;
	if (isRefusal(envelope)) {
		if (onRefusal) return onRefusal(envelope);
		return notChecked(
			`IntellectMoney refused the read (${refusalTitle(envelope, endpoint)}): ${envelopeShape(envelope)}`,
		);
	}
	// OperationState.Code 1: queued, no Result yet.
	if (envelope.Result === null || envelope.Result === undefined) {
		return notChecked(`the read was queued, no Result yet (${envelopeShape(envelope)})`);
	}
	return onSuccess(envelope.Result, envelope);
}

/** getUserToken: a UserToken (text) proves the request and its Sign were accepted. */
export function judgeUserToken(outcome: ReadOutcome): Verdict {
	return judge(
		ENDPOINTS.userSession,
		outcome,
		(result) => ({
			result: 'held',
			seen: `a UserToken was issued; Result: ${describeShape(result)}`,
		}),
		(envelope) => {
			const shape = `IntellectMoney refused it (${refusalTitle(envelope, ENDPOINTS.userSession)}): ${envelopeShape(envelope)}`;
			// A refused Sign is the inference; a refused login is the credential, which says nothing of it.
			const named = (errorSourceParam(envelope) ?? '').toLowerCase();
			return named === 'sign' ? { result: 'not held', seen: shape } : notChecked(shape);
		},
	);
}

/** getAccountData: the balance where the package reads it (Balance, §4.1). */
export function judgeAccountData(outcome: ReadOutcome): Verdict {
	return judge(ENDPOINTS.accountData, outcome, (result) => ({
		result: readableBalance(result.Balance) ? 'held' : 'not held',
		seen: `Result: ${describeShape(result)}`,
	}));
}

/** The InvoiceData fields every invoice read relies on: its number and its state. */
function readableInvoice(entry: unknown): boolean {
	if (entry === null || typeof entry !== 'object') return false;
	const { Id, State } = entry as ImInvoiceData;
	return (typeof Id === 'string' || typeof Id === 'number') && typeof State === 'string';
}

/** getInvoicesHistory over a window: InvoicesHistoryList, an array of InvoiceData with Id and State. */
export function judgeInvoiceList(outcome: ReadOutcome): Verdict {
	return judge(ENDPOINTS.invoiceHistory, outcome, (result) => {
		const list = result.InvoicesHistoryList as unknown[];
		const seen = `InvoicesHistoryList: ${describeShape(list)}`;
		if (list.length === 0)
			return { result: 'held', seen: `${seen} (no invoice in the window: their fields not seen)` };
		return { result: list.every(readableInvoice) ? 'held' : 'not held', seen };
	});
}

/** InvoiceData.State words the package reads (docs/intellectmoney-api.md §4.1). */
const INVOICE_STATES = new Set(['created', 'partpaid', 'paid', 'topaid', 'refund', 'held']);

/** The invoice named, filtered by InvoiceId: its State is a word the package knows. */
export function judgeInvoiceRead(outcome: ReadOutcome, invoiceId: string): Verdict {
	return judge(ENDPOINTS.invoiceHistory, outcome, (_result, envelope) => {
		const invoice = invoiceIn(envelope as ImEnvelope, invoiceId);
		if (invoice === undefined) {
			return notChecked(
				'the invoice is not in the list: check the Invoice ID and the Eshop ID of the credential',
			);
		}
		const state = typeof invoice.State === 'string' ? invoice.State : undefined;
		if (state !== undefined && INVOICE_STATES.has(state.toLowerCase())) {
			return { result: 'held', seen: `State ${state}; the invoice: ${describeShape(invoice)}` };
		}
		return {
			result: 'not held',
			seen: `State: ${describeShape(invoice.State)}, not a word the package knows`,
		};
	});
}

/** Every date of the invoices read: CreationDate, ChangeDate and those of their HistoryList. */
export function invoiceDates(outcomes: ReadOutcome[]): unknown[] {
	const dates: unknown[] = [];
	for (const outcome of outcomes) {
		if (!('envelope' in outcome)) continue;
		const list = outcome.envelope.Result?.InvoicesHistoryList;
		if (!Array.isArray(list)) continue;
		for (const entry of list as ImInvoiceData[]) {
			if (entry === null || typeof entry !== 'object') continue;
			dates.push(entry.CreationDate, entry.ChangeDate);
			for (const payment of Array.isArray(entry.HistoryList) ? entry.HistoryList : []) {
				dates.push(payment?.CreationDate);
			}
		}
	}
	return dates.filter((date) => date !== undefined && date !== null);
}

const IM_DATE_FORMAT = 'yyyy-MM-dd HH:mm:ss';

/** The format of the dates IntellectMoney wrote (the zone cannot be seen in them). */
export function judgeDates(dates: unknown[]): Verdict {
	if (dates.length === 0) return notChecked('no invoice was read, so no date was seen');
	const formats = [...new Set(dates.map((date) => dateFormatOf(date) ?? describeShape(date)))];
	const seen = `dates written as ${formats.join('; ')} (the zone is not written; Moscow time is read)`;
	return {
		result: formats.length === 1 && formats[0] === IM_DATE_FORMAT ? 'held' : 'not held',
		seen,
	};
}

/** getOperationState: whether the method answers, and whether the named payout's state is a known word. */
export function judgePayoutState(
	outcome: ReadOutcome,
	named: boolean,
): { endpoint: Verdict; words: Verdict } {
	let words = notChecked('no Payout Operation ID given');
	const endpoint = judge(
		ENDPOINTS.payoutState,
		outcome,
		(result) => {
			const state = result.PayoutOperationState as string;
			const known = payoutStatus(state, false) !== 'other';
			words = named
				? {
						result: known ? 'held' : 'not held',
						seen: known
							? `PayoutOperationState ${state}`
							: 'PayoutOperationState: a word the package does not know',
					}
				: notChecked('no Payout Operation ID given');
			return { result: 'held', seen: `Result: ${describeShape(result)}` };
		},
		(envelope) => {
			const shape = envelopeShape(envelope);
			if ((errorSourceParam(envelope) ?? '').toLowerCase() === 'sign') {
				return { result: 'not held', seen: `IntellectMoney refused its Sign: ${shape}` };
			}
			words = notChecked(
				named ? 'the payout was refused, its state not seen' : 'no Payout Operation ID given',
			);
			return {
				result: 'held',
				seen: `the method answered with IntellectMoney's own refusal: ${shape}`,
			};
		},
	);
	if (endpoint.result !== 'held')
		words = notChecked('the state read itself did not answer as inferred');
	return { endpoint, words };
}

/** A read of account 0, which must be refused: the refusal names the parameter in ErrorSourceParam. */
export function judgeRefusalShape(outcome: ReadOutcome): Verdict {
	const verdict = judge(
		ENDPOINTS.accountData,
		outcome,
		() => notChecked('account 0 was answered as an account, so no refusal was seen'),
		(envelope) => ({
			result:
				errorSourceParam(envelope) !== undefined &&
				typeof (envelope as ImEnvelope).Result?.State?.Code === 'number'
					? 'held'
					: 'not held',
			seen: envelopeShape(envelope),
		}),
	);
	// getAccountData itself not answering is account-info-balance's finding, not this one's.
	return verdict.result === 'not held' && !('envelope' in outcome && isRefusal(outcome.envelope))
		? notChecked(`getAccountData did not answer as inferred: ${verdict.seen}`)
		: verdict;
}
