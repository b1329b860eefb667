/**
 * Answer OK → When Respond to Webhook Answers: the witness that a notification's execution ENDED.
 *
 * There a repeat is how IntellectMoney recovers an execution that died (a killed worker never
 * answers `OK`), so a record made when an execution starts cannot tell a repeat apart from a
 * recovery. n8n saves an execution's static data only when the execution ends (hook
 * `workflowExecuteAfter`, n8n/dist/execution-lifecycle/execution-lifecycle-hooks.js
 * `saveStaticDataById`, regular mode and queue-mode workers, 1.x and 2.x); an execution whose
 * process died saves nothing. So the trigger writes the hash key into the execution's static data:
 * a later execution that finds it there knows the first one ended. n8n saves static data whole (the
 * last writer wins), so each save also carries every key this process wrote (its memory): a key
 * another process's save dropped is back with this process's next one.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { triggerMemory } from './repeatMemory';
import type { RepeatLimits } from './repeatKeys';

const STATIC_DATA_KEY = 'endedNotifications';

function storedKeys(context: IExecuteFunctions): string[] {
	const stored = context.getWorkflowStaticData('node')[STATIC_DATA_KEY];
	return Array.isArray(stored)
		? stored.filter((key): key is string => typeof key === 'string')
		: [];
}

/** Whether an execution of the notification with this hash key ended (as far as static data tells). */
export function executionEnded(context: IExecuteFunctions, hashKey: string): boolean {
	return storedKeys(context).includes(hashKey);
}

/** Writes the hash key into this execution's static data, saved by n8n when the execution ends. */
export function recordWhenEnded(
	context: IExecuteFunctions,
	keys: readonly string[],
	now: number,
	limits: RepeatLimits,
): void {
	const workflowId = String(context.getWorkflow().id ?? '');
	// Apart from the webhook's memory of arrivals: these are executions that started here.
	const memory = triggerMemory(workflowId, context.getNode().id, `${context.getMode()}:ended`);
	memory.add({ keys: [keys[1]], seenAt: now }, now, limits);
	const merged = new Set(storedKeys(context));
	for (const record of memory.all(now, limits)) merged.add(record.keys[0]);
	const kept = [...merged].slice(-limits.maxNotifications);
	// Replaced as a whole, so n8n sees the change (static data is observed at its top level only).
	context.getWorkflowStaticData('node')[STATIC_DATA_KEY] = kept;
}
