// @ts-check
/**
 * `npm run sandbox` = `node dev/sandbox/cli.mjs [--port N] [--latency-ms N] [--result-url URL]
 * [--live-differs a,b]`: a seeded sandbox for demos; --result-url sets the shop's Result URL, where
 * invoice notifications are posted; --live-differs turns on switches that answer as a differing live
 * API would (live-differs.mjs).
 */
import { seedDemoData } from './demo-data.mjs';
import { LIVE_DIFFERS } from './live-differs.mjs';
import { startSandbox } from './start.mjs';

/**
 * @param {string[]} argv
 * @returns {Promise<void>}
 */
async function main(argv) {
	/** @param {string} name @param {number} fallback */
	const numberArg = (name, fallback) => {
		const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
		if (i < 0) return fallback;
		const raw = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
		const n = Number(raw);
		if (!Number.isInteger(n) || n < 0)
			throw new Error(`${name} needs a non-negative integer, got ${raw}`);
		return n;
	};
	const resultUrlAt = argv.findIndex((a) => a === '--result-url' || a.startsWith('--result-url='));
	const resultUrl =
		resultUrlAt < 0
			? ''
			: argv[resultUrlAt].includes('=')
				? argv[resultUrlAt].slice('--result-url='.length)
				: (argv[resultUrlAt + 1] ?? '');
	if (resultUrlAt >= 0 && !/^https?:\/\//.test(resultUrl)) {
		throw new Error(`--result-url needs an http(s) URL, got ${resultUrl}`);
	}
	const differsAt = argv.findIndex(
		(a) => a === '--live-differs' || a.startsWith('--live-differs='),
	);
	const differsText =
		differsAt < 0
			? ''
			: argv[differsAt].includes('=')
				? argv[differsAt].slice('--live-differs='.length)
				: (argv[differsAt + 1] ?? '');
	const liveDiffers = differsText
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const sandbox = await startSandbox({
		liveDiffers,
		port: numberArg('--port', 8085),
		latencyMs: numberArg('--latency-ms', 0),
		shop: { resultUrl },
	});
	const { invoices, payouts, accounts } = seedDemoData(sandbox);
	const s = sandbox.shop;
	const lines = [
		`IntellectMoney sandbox listening on ${sandbox.url}  (local imitation, not the real API)`,
		'',
		'Shop credentials:',
		`  EshopId          ${s.eshopId}`,
		`  Bearer token     ${s.bearerToken}`,
		`  Sign secret key  ${s.signSecretKey}`,
		`  Shop secret key  ${s.shopSecretKey}`,
		`  Login            ${s.login}`,
		`  Password         ${s.password}`,
		'',
		'Seeded invoices (InvoiceId / OrderId / state):',
		...invoices.map(
			(i) =>
				`  ${i.invoiceId}  ${i.orderId}  ${i.state}  ${i.amount} ${i.currency}${i.state === 'Created' && i.holdMode ? '  (hold on payment)' : ''}`,
		),
		'Seeded payout operations (id / outcome of executeOperation):',
		...payouts.map((o) => `  ${o.id}  ${o.outcome}`),
		'Seeded accounts (AccountId / balance):',
		...accounts.map((a) => `  ${a.accountId}  ${a.balances[0].balance} ${a.currency}`),
		'',
		'Endpoints: POST merchant/createInvoice, merchant/purchaseToPaid, merchant/purchaseToRefund,',
		'           personal/user/getUserToken, personal/payment/getInvoicesHistory,',
		'           personal/payment/getAccountData,',
		'           personal/payout/createOperation, personal/payout/executeOperation,',
		'           personal/payout/getOperationState',
		s.resultUrl
			? `Notifications: POSTed to ${s.resultUrl} on every invoice state change`
			: 'Notifications: none (no --result-url; an invoice created with a ResultUrl still gets them)',
		liveDiffers.length > 0
			? `Live API differs (live-differs.mjs): ${liveDiffers.join(', ')}`
			: 'Live API differs: none (--live-differs a,b: ' + LIVE_DIFFERS.join(', ') + ')',
		'Ctrl+C stops.',
	];
	process.stdout.write(lines.join('\n') + '\n');
	const shutdown = () => {
		sandbox.stop().then(
			() => process.stdout.write('sandbox stopped\n'),
			(err) => {
				process.stderr.write(`sandbox stop failed: ${String(err)}\n`);
				process.exitCode = 1;
			},
		);
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

main(process.argv.slice(2)).catch((err) => {
	process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
	process.exitCode = 1;
});
