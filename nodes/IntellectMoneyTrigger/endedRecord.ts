/**
 * Answer OK → When Respond to Webhook Answers: the witness that a notification's execution ENDED.
 *
 * There a repeat is how IntellectMoney recovers an execution that died (a killed worker never
 * answers `OK`), so a record made when an execution starts cannot tell a repeat apart from a
 * recovery. n8n saves an execution's static data only when the execution ends (hook
 * `workflowExecuteAfter`, n8n/dist/execution-lifecycle/execution-lifecycle-hooks.js
 * `saveStaticDataById`, regular mode and queue-mode workers, 1.x and 2.x); an execution whose
 * process died saves nothing. So the trigger writes the notification's keys into its static data:
 * a later execution that finds it there knows the first one ended. n8n saves static data whole (the
 * last writer wins), so each save also carries every key this process has read in saved static data
 * (its memory): a key another process's save dropped is back with this process's next one.
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

/**
 * The keys this process has READ in saved static data (never its own unsaved ones: an execution
 * still running here must not be vouched for by another one's save). Every key once read stays in
 * each save of this process, so a key another process's save dropped is back with the next one.
 */
function witnessedHere(context: IExecuteFunctions, now: number, limits: RepeatLimits) {
	const workflowId = String(context.getWorkflow().id ?? '');
	const memory = triggerMemory(workflowId, context.getNode().id, `${context.getMode()}:ended`);
	// Two keys per notification, one record each.
	const bounds = { ...limits, maxNotifications: 2 * limits.maxNotifications };
	for (const key of storedKeys(context)) memory.add({ keys: [key], seenAt: now }, now, bounds);
	return memory.all(now, bounds).map((record) => record.keys[0]);
}

/** Whether an execution of a notification with either of these keys ended (as static data tells). */
export function executionEnded(
	context: IExecuteFunctions,
	keys: readonly string[],
	now: number,
	limits: RepeatLimits,
): boolean {
	return witnessedHere(context, now, limits).some((key) => keys.includes(key));
}

/** Writes the keys into this execution's static data, saved by n8n when the execution ends. */
export function recordWhenEnded(
	context: IExecuteFunctions,
	notificationKeys: readonly string[],
	now: number,
	limits: RepeatLimits,
): void {
	const keys = new Set(witnessedHere(context, now, limits));
	for (const key of notificationKeys) keys.delete(key);
	for (const key of notificationKeys) keys.add(key);
	// Replaced as a whole, so n8n sees the change (static data is observed at its top level only).
	context.getWorkflowStaticData('node')[STATIC_DATA_KEY] = [...keys].slice(
		-2 * limits.maxNotifications,
	);
}
