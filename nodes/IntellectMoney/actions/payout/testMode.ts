import { ItemError } from '../../errors';

/**
 * dev/info/access documents the TST test currency for invoices only (CreateInvoice, BankCardPayment,
 * GetBankCardPaymentState): nothing says a payout can be a test. So a Test Mode credential never sends
 * a payout, rather than send one that might be real.
 */
export function refusePayoutInTestMode(testMode: boolean): void {
	if (!testMode) return;
	throw new ItemError(
		'Payouts are not sent in Test Mode',
		'IntellectMoney documents no test mode for payouts (the TST currency covers invoices only), so ' +
			'a payout sent now could be real. Use a credential without Test Mode, or the bundled sandbox ' +
			'(npm run sandbox) to try payouts.',
	);
}
