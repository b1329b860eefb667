/**
 * Saves a new notification's record where n8n 2.x does save static data: in the execution it started.
 *
 * n8n runs a webhook trigger's `execute()` as the first node of that execution, with the items its
 * `webhook()` returned (n8n-core WorkflowExecute.runNode: a node with `execute` is executed, a plain
 * webhook node only passes its data on), and saves the execution's static data when the execution
 * ends if it changed (WorkflowExecute → hook `workflowExecuteAfter`, n8n/dist/execution-lifecycle/
 * execution-lifecycle-hooks.js: `saveStaticDataById`), in regular mode and on queue-mode workers, on
 * 1.x and 2.x. The webhook hands the record over in an internal item field, taken off here, so the
 * workflow never sees it. The record also joins this process's memory, and the memory is merged in,
 * so an execution that started from an older copy of the static data does not save it without the
 * records this process has meanwhile. On a queue-mode worker, whose memory no webhook fills, each
 * execution so saves the records of every execution that worker ran: n8n saves static data whole, the
 * last writer wins, and a record another worker's save dropped is back with this worker's next save
 * (README "Running at scale"). Never throws: the record is a safeguard, the items always go on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readTriggerOptions } from './description';
import { memoryOf } from './repeatMemory';
import {
	mergeRecords,
	parseRecord,
	readRemembered,
	REPEAT_RECORD_FIELD,
	writeRemembered,
} from './repeats';
import type { RememberedNotification } from './repeats';

export function rememberInExecution(context: IExecuteFunctions): INodeExecutionData[] {
	const records: RememberedNotification[] = [];
	const items = context.getInputData().map((item, index) => {
		const { [REPEAT_RECORD_FIELD]: carried, ...json } = item.json;
		const record = parseRecord(carried);
		if (record) records.push(record);
		return { json: json as IDataObject, pairedItem: { item: index } };
	});
	if (records.length === 0) return items;
	try {
		const now = Date.now();
		const { limits } = readTriggerOptions(context.getNodeParameter('options', 0, {}));
		const staticData = context.getWorkflowStaticData('node');
		const stored = readRemembered(staticData, now, limits);
		const memory = memoryOf(context);
		for (const record of records) memory.add(record, now, limits);
		const merged = mergeRecords(stored, memory.all(now, limits), now, limits);
		if (merged.added) writeRemembered(staticData, merged.records);
	} catch (error) {
		context.logger.warn(
			`IntellectMoney Trigger could not remember a notification in the workflow's static data: ${(error as Error).message}`,
		);
	}
	return items;
}
