// @ts-check
/**
 * The demo shop's data (`npm start`, `npm run sandbox`, the e2e suite), with fixed ids so that the
 * README and the example workflows can name them.
 */
import { imDate } from './wire.mjs';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Held invoices paid some hours ago, so that their holds (72 hours, Create Invoice's default) end at
 * realistic times: order-1001 in 43 h, order-1002 in 24 h, order-1005 in 6 h and order-1006 in 3 h
 * (the last two "expiring within 12 hours"); one created (order-1003), one created with a hold
 * (order-1004: payInvoice makes it Held; it expires three days after seeding), one paid four days ago
 * (order-1007); the shop's account 1234567 with 50,000.00 RUB; a payout that goes InProcess (the GUID
 * of the seeds/000 example) and one that Fails (the GUID of docs/intellectmoney-api.md §3 example 5).
 * @param {import('./types.mjs').Sandbox} sandbox
 * @returns {{ invoices: import('./types.mjs').Invoice[], payouts: import('./types.mjs').PayoutOperation[], accounts: import('./types.mjs').Account[] }}
 */
export function seedDemoData(sandbox) {
	const now = Date.now();
	/** @param {number} createdHoursAgo @param {number} [paidHoursAgo] */
	const ago = (createdHoursAgo, paidHoursAgo) => ({
		createdAt: now - createdHoursAgo * HOUR_MS,
		...(paidHoursAgo === undefined ? {} : { paidAt: now - paidHoursAgo * HOUR_MS }),
	});
	const held = { holdMode: true, holdTime: 72 };
	const invoices = [
		sandbox.addInvoice({ invoiceId: '3000001001', orderId: 'order-1001', ...held, ...ago(30, 29) }),
		sandbox.addInvoice({
			invoiceId: '3000001002',
			orderId: 'order-1002',
			amount: '250.00',
			...held,
			...ago(50, 48),
		}),
		sandbox.addInvoice({
			invoiceId: '3000001003',
			orderId: 'order-1003',
			state: 'Created',
			...ago(2),
		}),
		sandbox.addInvoice({
			invoiceId: '3000001004',
			orderId: 'order-1004',
			amount: '300.00',
			state: 'Created',
			serviceName: 'Демо-заказ с холдированием',
			email: 'buyer@example.com',
			holdMode: true,
			holdTime: 72,
			expireDate: imDate(now + 3 * 24 * HOUR_MS),
			...ago(1),
		}),
		sandbox.addInvoice({
			invoiceId: '3000001005',
			orderId: 'order-1005',
			amount: '1200.00',
			...held,
			...ago(67, 66),
		}),
		sandbox.addInvoice({
			invoiceId: '3000001006',
			orderId: 'order-1006',
			amount: '780.50',
			...held,
			...ago(70, 69),
		}),
		sandbox.addInvoice({
			invoiceId: '3000001007',
			orderId: 'order-1007',
			amount: '4200.00',
			state: 'Paid',
			...ago(97, 96),
		}),
	];
	const payouts = [
		sandbox.addPayoutOperation({ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }),
		sandbox.addPayoutOperation({ id: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23', outcome: 'Failed' }),
	];
	const accounts = [sandbox.addAccount({ accountId: '1234567', balance: '50000.00' })];
	return { invoices, payouts, accounts };
}
