/**
 * The words of the purchase actions (Capture, Release or Refund, Create Invoice) for every way a
 * request can end (atMostOnce/protocol.ts `Outcome`), in one place: whole sentences, what the operator
 * sees and what to do next.
 */
import type { ImEnvelope } from '../../../../shared/api';
import { isCredentialRefusal, REFUSED_ACTION } from '../../../../shared/transport/refusal';
import type { StateReading } from '../../atMostOnce/send';
import type { FoundInvoice } from './invoiceLookup';
import type { PurchaseTarget } from './target';

export type PurchaseAction = 'capture' | 'refund';

const CHECK_IN_CABINET = 'check the invoice in the IntellectMoney cabinet';

/** The option that lets a re-run send what an earlier run may have sent (its editor name). */
export const SEND_AFTER_EARLIER_RUN = 'Send Even If an Earlier Run May Have Sent It';

export const PURCHASE_WORDS = {
	capture: {
		done: 'captured',
		repeatRule:
			'A second capture of a captured invoice is refused by IntellectMoney, never paid twice.',
		maybeRepeat:
			'If an earlier run or attempt already captured this purchase, this refusal is expected and nothing was captured twice',
		otherState: (state: string) =>
			state === 'created'
				? 'nothing is held to capture (the buyer has not paid yet)'
				: state === 'refund'
					? 'it was released or refunded, so it cannot be captured'
					: 'only a Held invoice can be captured',
	},
	refund: {
		done: 'refunded',
		repeatRule:
			'The node never sends a refund again after a lost answer: a refund may show in the state late.',
		maybeRepeat:
			'If an earlier run or attempt already released or refunded this purchase, this refusal is expected and nothing was refunded twice',
		otherState: () => 'only a Created, Held or Paid invoice can be released or refunded',
	},
} as const;

/** The message of an invoice that could not be read before sending. */
export function notReadFirst(
	action: PurchaseAction,
	invoiceId: string,
	why: string | undefined,
): string {
	const what = `Invoice ${invoiceId} was not ${PURCHASE_WORDS[action].done}: its state could not be read first`;
	return why ? `${what} (${why})` : what;
}

export const NOT_READ_FIRST_DESCRIPTION =
	'Nothing was sent. The node reads the state before sending this request, so that a re-run never ' +
	'sends again what an earlier run carried out.';

/** Why the node cannot read the invoice, when it cannot (appended to "cannot tell"). */
export function unreadableStateReason(target: PurchaseTarget, hasLogin: boolean): string {
	if (target.invoiceId === undefined) {
		return ' (only an invoice identified by Invoice ID can be looked up)';
	}
	return hasLogin ? '' : ' (reading an invoice needs Login and Password in the credential)';
}

/** The invoice as the operator named it: "invoice 3000000001" or "the invoice of Order ID order-42". */
export function invoiceNamed(target: PurchaseTarget): string {
	return target.invoiceId !== undefined
		? `invoice ${target.invoiceId}`
		: `the invoice of Order ID ${target.orderId ?? ''}`;
}

const ACTION_NOUN: Record<PurchaseAction, string> = {
	capture: 'capture',
	refund: 'release or refund',
};

/** What to check after an answer that may have been carried out. */
export function lostAdvice(
	action: PurchaseAction,
	target: PurchaseTarget,
	hasLogin: boolean,
): string {
	return (
		`The node cannot tell whether the ${ACTION_NOUN[action]} of ${invoiceNamed(target)} was carried ` +
		`out${unreadableStateReason(target, hasLogin)}: ${CHECK_IN_CABINET} before running this again. ${PURCHASE_WORDS[action].repeatRule}`
	);
}

/** What the node read after a lost answer, for its description. */
export function seenState(reading: StateReading<FoundInvoice> | undefined): string {
	if (!reading?.why) return '';
	const lag =
		reading.verdict === 'pending'
			? ', and a change may show only later, so that proves nothing'
			: '';
	return ` The node read the state: ${reading.why}${lag}.`;
}

/** The error of a request an earlier execution may have sent (nothing sent now). */
export function earlierRunMessage(action: PurchaseAction, target: PurchaseTarget): string {
	const which =
		target.invoiceId !== undefined
			? `invoice ${target.invoiceId}`
			: `Order ID ${target.orderId ?? ''}`;
	return `Not ${PURCHASE_WORDS[action].done} again: an earlier run may already have ${PURCHASE_WORDS[action].done} ${which}`;
}

export function earlierRunDescription(reading: StateReading<FoundInvoice> | undefined): string {
	const seen = reading?.why ? ` The invoice now reads: ${reading.why}.` : '';
	return (
		`Nothing was sent. An earlier execution of this node sent this request and never learned ` +
		`whether IntellectMoney carried it out.${seen} ` +
		`${CHECK_IN_CABINET[0].toUpperCase()}${CHECK_IN_CABINET.slice(1)}: if it was not carried out, ` +
		`turn on Options → ${SEND_AFTER_EARLIER_RUN} for one run.`
	);
}

/** What a refusal may mean, given the state read after it (undefined = the state was not readable). */
export function refusalNote(
	action: PurchaseAction,
	refusal: ImEnvelope,
	reading: StateReading<FoundInvoice> | undefined,
	missingForReads: string,
): string {
	// A refusal about the keys or the signature is never a repeat's: the hint says what to fix.
	if (isCredentialRefusal(refusal)) return '';
	const { maybeRepeat } = PURCHASE_WORDS[action];
	if (reading === undefined) {
		return `${maybeRepeat}: ${CHECK_IN_CABINET}. To have such repeats reported as alreadyDone, ${missingForReads}.`;
	}
	if (reading.verdict === 'pending') {
		return `The invoice is still ${reading.state?.invoice.State ?? 'pending'}, so this is not the refusal of a repeat.`;
	}
	if (reading.answered) return `IntellectMoney's state says why: ${reading.why ?? 'unknown'}.`;
	return `The node could not read the invoice's state (${reading.why ?? 'unknown'}). ${maybeRepeat}: ${CHECK_IN_CABINET}.`;
}

/** A refusal's title from the state read after it ("Invoice not found"), when it shows more. */
export function refusalTitle(
	endpoint: keyof typeof REFUSED_ACTION,
	reading: StateReading<FoundInvoice> | undefined,
): string | undefined {
	const refused = REFUSED_ACTION[endpoint];
	if (reading?.answered && reading.state === undefined) return 'Invoice not found';
	const shown = reading?.state?.invoice.State;
	if (!shown) return undefined;
	return reading?.verdict === 'pending'
		? `${refused}: the invoice is still ${shown}`
		: `${refused}: the invoice is ${shown}`;
}

/** What the node lacks to read the invoice after a refusal: only what is missing. */
export function missingForStateReads(target: PurchaseTarget, hasLogin: boolean): string {
	if (target.invoiceId === undefined) {
		return hasLogin
			? 'identify the invoice by Invoice ID (Login and Password are set)'
			: 'identify the invoice by Invoice ID and set Login and Password in the credential';
	}
	return 'set Login and Password in the credential (the invoice is identified by Invoice ID)';
}
