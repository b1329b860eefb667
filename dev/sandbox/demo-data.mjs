// @ts-check
/**
 * The demo shop's data (`npm start`, `npm run sandbox`, the e2e suite), with fixed ids so that the
 * README and the example workflows can name them.
 */
import { imDate } from './wire.mjs';

/**
 * Two held invoices (order-1001, order-1002), one created (order-1003), one created with a hold
 * (order-1004: payInvoice makes it Held; it expires three days after seeding), a payout that goes
 * InProcess (the GUID of the seeds/000 example) and one that Fails (the GUID of
 * docs/intellectmoney-api.md §3 example 5).
 * @param {import('./types.mjs').Sandbox} sandbox
 * @returns {{ invoices: import('./types.mjs').Invoice[], payouts: import('./types.mjs').PayoutOperation[] }}
 */
export function seedDemoData(sandbox) {
	const invoices = [
		sandbox.addInvoice({ invoiceId: '3000001001', orderId: 'order-1001' }),
		sandbox.addInvoice({ invoiceId: '3000001002', orderId: 'order-1002', amount: '250.00' }),
		sandbox.addInvoice({ invoiceId: '3000001003', orderId: 'order-1003', state: 'Created' }),
		sandbox.addInvoice({
			invoiceId: '3000001004',
			orderId: 'order-1004',
			amount: '300.00',
			state: 'Created',
			serviceName: 'Демо-заказ с холдированием',
			email: 'buyer@example.com',
			holdMode: true,
			holdTime: 72,
			expireDate: imDate(Date.now() + 3 * 24 * 60 * 60 * 1000),
		}),
	];
	const payouts = [
		sandbox.addPayoutOperation({ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }),
		sandbox.addPayoutOperation({ id: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23', outcome: 'Failed' }),
	];
	return { invoices, payouts };
}
