// @ts-check
/**
 * The moment to kill a worker so that it dies in the case only IntellectMoney's repeat can recover:
 * one of its executions has captured (the sandbox processed the capture: money moved) and still waits
 * for the answer, so its notification is never answered OK. The sandbox holds the answers of the
 * next captures (processed first, as a slow IntellectMoney would); the worker's log says which
 * executions it runs, and n8n's records in Postgres say which invoice each one captures.
 */
import { readExecutions } from './executions.mjs';
import { executionsByWorker } from './n8n-cluster.mjs';
import { waitUntil } from './services.mjs';

/** @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox */

/** The held answers must outlast the check and the kill by this much. */
const MARGIN_MS = 3000;

/**
 * Resolves once an execution of `workerLog` has a capture processed whose answer is still held;
 * returns that execution's id. The sandbox's faults and request hook are cleared in any case.
 * @param {{ sandbox: Sandbox, psql: (sql: string) => string, n8nBin: string, runDir: string,
 *   workerLog: string, flow: import('./workflows.mjs').PublishedFlow, afterExecution: number,
 *   heldCaptures: number, heldMs: number, timeoutMs: number }} what
 * @returns {Promise<number>}
 */
export async function waitForCaptureHeldOn(what) {
	const { sandbox } = what;
	/** @type {Map<string, number>} InvoiceId → when its capture was processed, its answer held */
	const heldAt = new Map();
	sandbox.onRequest((entry) => {
		if (
			entry.endpoint === 'merchant/purchaseToPaid' &&
			entry.fault === 'latency' &&
			entry.verdict === 'accepted'
		) {
			heldAt.set(entry.fields.InvoiceId, Date.now());
		}
	});
	sandbox.injectFaults({
		endpoint: 'merchant/purchaseToPaid',
		kind: 'latency',
		latencyMs: what.heldMs,
		count: what.heldCaptures,
	});
	let found = 0;
	try {
		await waitUntil(
			`a capture of ${what.workerLog} held`,
			() => {
				const held = new Set(
					[...heldAt]
						.filter(([, at]) => Date.now() - at < what.heldMs - MARGIN_MS)
						.map(([invoiceId]) => invoiceId),
				);
				const log = executionsByWorker(what.runDir)[what.workerLog];
				const running = [...(log?.started ?? [])].filter((id) => !log?.finished.has(id));
				if (held.size === 0 || running.length === 0) return false;
				const records = readExecutions(what.psql, what.n8nBin, what.flow, {
					afterId: what.afterExecution,
					unfinishedOnly: true,
				});
				const capturing = records.find(
					(e) => running.includes(e.id) && held.has(String(e.trigger?.invoiceId)),
				);
				found = capturing?.id ?? 0;
				return found > 0;
			},
			what.timeoutMs,
		);
	} finally {
		sandbox.clearFaults();
		sandbox.onRequest(undefined);
	}
	return found;
}
