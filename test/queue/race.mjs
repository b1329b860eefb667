// @ts-check
/**
 * Two workers recording in n8n's deduplication store at the same moment. n8n's helper reads the
 * trigger's one row and then writes it whole, with no lock (n8n/dist/deduplication/
 * deduplication-helper.js), so records made at once can erase each other; the trigger reads each new
 * record back and writes it again when it was lost (nodes/IntellectMoneyTrigger/sharedStore.ts).
 * Here: `count` held invoices' notifications all sent at the same moment, half to main and half to
 * the webhook processor (so both workers record at once), then, once every execution has ended,
 * each one's exact repeat to the OTHER process (whose memory never saw it): only the shared store
 * can recognise it. A record lost in the race would let its repeat run a step after the trigger.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { lastExecutionId, readExecutions, unfinishedCount } from './executions.mjs';
import { heldInvoices } from './load.mjs';

/** The line sharedStore.ts logs when a read-back finds a record gone (LOST_RECORD there). */
const LOST_RECORD = 'a repeat record was lost to another process';

/** How many times the workers' logs say a record was lost and written again. @param {string} runDir */
function lostRecordLines(runDir) {
	const logs = path.join(runDir, 'logs');
	return readdirSync(logs)
		.filter((file) => file.startsWith('worker-'))
		.reduce(
			(n, file) => n + readFileSync(path.join(logs, file), 'utf8').split(LOST_RECORD).length - 1,
			0,
		);
}

/** @param {(sql: string) => string} psql @param {string} workflowId */
async function drain(psql, workflowId) {
	const deadline = Date.now() + 5 * 60_000;
	while (unfinishedCount(psql, workflowId) > 0) {
		if (Date.now() > deadline) throw new Error('executions still queued or running');
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/**
 * @param {any} stack  the queue stack (stack.mjs startStack)
 * @param {import('./workflows.mjs').PublishedFlow} flow  answering OK when the execution is created (storeOnlyFlow)
 * @param {number} count
 */
export async function racePhase(stack, flow, count) {
	const { sandbox, postgres, run } = stack;
	const afterId = lastExecutionId(postgres.psql);
	const lostBefore = lostRecordLines(run.runDir);
	const invoices = heldInvoices(sandbox, 'q5', count);
	const urls = stack.urls(flow);
	const fields = invoices.map((inv) => sandbox.notificationFor(inv.invoiceId));
	/** @param {number} i */
	const target = (i) => (i % 2 === 0 ? urls.main : urls.webhook);
	/** @param {Record<string, string>} f @param {string} url */
	const post = async (f, url) => {
		const answer = await sandbox.sendNotification(url, f);
		return answer.status === 200 && answer.body === 'OK';
	};
	const firstOk = await Promise.all(fields.map((f, i) => post(f, target(i))));
	await drain(postgres.psql, flow.id);
	const firstIds = new Set(
		readExecutions(postgres.psql, stack.runtime.n8nBin, flow, { afterId }).map((e) => e.id),
	);
	const repeatOk = await Promise.all(fields.map((f, i) => post(f, target(i + 1))));
	await drain(postgres.psql, flow.id);
	const executions = readExecutions(postgres.psql, stack.runtime.n8nBin, flow, { afterId });
	const ofRepeats = executions.filter((e) => !firstIds.has(e.id));
	const row = postgres.psql(
		`select coalesce(json_array_length(value::json->'data'), 0) from processed_data where "workflowId" = '${flow.id}'`,
	);
	return {
		sent: count,
		firstAnsweredOk: firstOk.filter(Boolean).length,
		repeatsAnsweredOk: repeatOk.filter(Boolean).length,
		firstRanDownstream: executions.filter((e) => firstIds.has(e.id) && e.ranDownstream).length,
		repeatExecutions: ofRepeats.length,
		repeatsRanDownstream: ofRepeats.filter((e) => e.ranDownstream).length,
		repeatsStoppedByGuard: ofRepeats.filter((e) => e.guarded).length,
		recordsLostAndWrittenAgain: lostRecordLines(run.runDir) - lostBefore,
		storeEntries: Number(row.trim() || 0),
	};
}
