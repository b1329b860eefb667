// @ts-check
/**
 * The sandbox of one benchmark measurement, in a process of its own (forked by bench.mjs), so its
 * CPU and memory never count as the client's. It holds `--items` held invoices with order ids
 * `bench-0 …` and `--warmup` more (`warm-0 …`), and counts what it received instead of keeping its
 * request log (10,000 log entries would grow its heap). The warm-up is answered at once; on 'arm' the
 * next `--items` captures are answered `--latency-ms` later (the sandbox's `latency` fault, which
 * processes the request and delays the answer, as the `latencyMs` option does), so warming the JIT up
 * costs no waiting.
 *
 * IPC: sends { url } once ready; 'arm' → { armed }; 'stats' → { stats } (counts and the ledger check);
 * exits on 'stop'.
 */
import { startSandbox } from '../sandbox/index.mjs';

/** @param {string} name @param {number} fallback */
function numberArg(name, fallback) {
	const at = process.argv.indexOf(name);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
}

const items = numberArg('--items', 1000);
const warmup = numberArg('--warmup', 0);
const latencyMs = numberArg('--latency-ms', 0);

const sandbox = await startSandbox();
for (let i = 0; i < warmup; i++) sandbox.addInvoice({ orderId: `warm-${i}` });
const measured = Array.from({ length: items }, (_, i) =>
	sandbox.addInvoice({ orderId: `bench-${i}` }),
);

/** @type {Record<string, number>} endpoint verdict/sign → count */
const counts = {};
sandbox.onRequest((entry) => {
	const key = `${entry.endpoint} ${entry.verdict}${entry.signValid === false ? ' badSign' : ''}${entry.hashValid === false ? ' badHash' : ''}`;
	counts[key] = (counts[key] ?? 0) + 1;
	sandbox.clearLog();
});

process.on('message', async (message) => {
	if (message === 'arm') {
		if (latencyMs > 0) {
			sandbox.injectFaults({
				endpoint: 'merchant/purchaseToPaid',
				kind: 'latency',
				latencyMs,
				count: items,
			});
		}
		process.send?.({ armed: true });
	} else if (message === 'stats') {
		let capturedOnce = 0;
		let capturedTwice = 0;
		for (const { captures } of measured) {
			if (captures === 1) capturedOnce += 1;
			if (captures > 1) capturedTwice += 1;
		}
		process.send?.({ stats: { counts, capturedOnce, capturedTwice } });
	} else if (message === 'stop') {
		await sandbox.stop();
		process.exit(0);
	}
});
process.send?.({ url: sandbox.url });
