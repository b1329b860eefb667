// @ts-check
/**
 * n8n's own record of what ran: the executions of a workflow, read from Postgres (`execution_entity`
 * and `execution_data`, whose run data n8n stores in "flatted" form, read with n8n's own copy).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * @typedef {object} ExecutionRecord
 * @property {number} id
 * @property {string} status  success, error, crashed, running, new, …
 * @property {string | null} startedAt
 * @property {string | null} stoppedAt
 * @property {Record<string, any> | null} trigger  the trigger's first output item (or, for an
 *   execution that never ran, the item it was given)
 * @property {Record<string, any> | null} capture  Capture's first output item (absent when it failed)
 * @property {boolean} guarded  the trigger ran and put out no item: its repeat guard stopped it there
 * @property {boolean} ranDownstream  a node after the trigger ran (Capture, or any other)
 * @property {string | null} error  the execution's error message
 */

/**
 * @param {(sql: string) => string} psql
 * @param {string} n8nBin  the runtime's n8n CLI, to load its `flatted`
 * @param {{ id: string, triggerNode: string, captureNode: string }} flow
 * @param {{ afterId?: number, unfinishedOnly?: boolean }} [which]  only executions with a greater
 *   id; only those still queued or running
 * @returns {ExecutionRecord[]}
 */
export function readExecutions(psql, n8nBin, flow, which = {}) {
	const { parse } = createRequire(path.dirname(path.dirname(n8nBin)) + '/')('flatted');
	const unfinished = which.unfinishedOnly ? ` and e.status in ('new', 'running')` : '';
	const out = psql(`select coalesce(json_agg(row_to_json(t) order by t.id), '[]'::json) from (
		select e.id, e.status, e."startedAt", e."stoppedAt", d.data
		from execution_entity e left join execution_data d on d."executionId" = e.id
		where e."workflowId" = '${flow.id}' and e.id > ${Number(which.afterId ?? 0)}${unfinished}) t`);
	return JSON.parse(out).map((/** @type {any} */ row) => {
		const data = row.data ? parse(row.data) : null;
		const runData = data?.resultData?.runData ?? {};
		/** @param {string} node */
		const firstItem = (node) => {
			const json = runData[node]?.[0]?.data?.main?.[0]?.[0]?.json ?? null;
			// n8n's crash recovery fills a crashed node's output with a placeholder item.
			return json?.isArtificialRecoveredEventItem ? null : json;
		};
		// An execution whose worker died (status crashed) still holds the trigger's item as its input.
		const waiting = data?.executionData?.nodeExecutionStack?.[0];
		const input =
			waiting?.node?.name === flow.triggerNode ? waiting.data?.main?.[0]?.[0]?.json : null;
		return {
			id: Number(row.id),
			status: row.status,
			startedAt: row.startedAt,
			stoppedAt: row.stoppedAt,
			trigger: firstItem(flow.triggerNode) ?? input ?? null,
			capture: firstItem(flow.captureNode),
			guarded:
				Array.isArray(runData[flow.triggerNode]?.[0]?.data?.main?.[0]) &&
				runData[flow.triggerNode][0].data.main[0].length === 0,
			ranDownstream: Object.keys(runData).some((node) => node !== flow.triggerNode),
			error: data?.resultData?.error?.message ?? null,
		};
	});
}

/**
 * Puts back the trigger items n8n erased. Once Bull gives up on the job of a worker that died
 * (maxStalledCount 0), n8n replaces that execution's data with the stall error alone
 * (`dist/workflow-runner.js` processError: `runData: {}`), whether the worker had started it or only
 * taken it, so its record no longer says whose notification it was. `before` holds the same records
 * read while the worker was down, before n8n gave up (its lock lasts 60 s, QUEUE_WORKER_LOCK_DURATION).
 * @param {ExecutionRecord[]} executions @param {ExecutionRecord[]} before
 * @returns {ExecutionRecord[]}
 */
export function withErasedItems(executions, before) {
	const items = new Map(before.map((e) => [e.id, e.trigger]));
	return executions.map((e) =>
		e.trigger === null ? { ...e, trigger: items.get(e.id) ?? null } : e,
	);
}

/**
 * Executions of the workflow not finished yet (queued or running).
 * @param {(sql: string) => string} psql @param {string} workflowId
 */
export function unfinishedCount(psql, workflowId) {
	return Number(
		psql(
			`select count(*) from execution_entity where "workflowId" = '${workflowId}' and status in ('new', 'running')`,
		).trim(),
	);
}

/** The highest execution id so far (0: none). @param {(sql: string) => string} psql */
export function lastExecutionId(psql) {
	return Number(psql('select coalesce(max(id), 0) from execution_entity').trim());
}
