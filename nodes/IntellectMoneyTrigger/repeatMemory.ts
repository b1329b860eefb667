/**
 * The trigger's in-process memory of recent notifications, in front of n8n's deduplication store
 * (repeatGuard.ts). A repeat this process has seen is answered `OK` on arrival and starts no
 * execution at all; the store, shared by every process, decides in the execution. Also used on a
 * worker for the keys it has read in saved static data (endedRecord.ts, Answer OK after the workflow).
 *
 * One memory per workflow, trigger node and mode (a Test URL event never hides a production one),
 * bounded by count and age, and at most MAX_TRIGGERS of them. It is a cache of what this process
 * received, never shared between workflows. It also serialises deliveries of the same notification
 * that arrive at once: the second waits until the first is recorded or given up.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { withinLimits } from './repeatKeys';
import type { RememberedNotification, RepeatLimits } from './repeatKeys';

/** Trigger nodes remembered at most in one process; the least recently used goes first. */
export const MAX_TRIGGERS = 100;

export class TriggerMemory {
	private records: RememberedNotification[] = [];

	private readonly known = new Set<string>();

	private readonly pending = new Map<string, Promise<void>>();

	/** Whether any of `keys` is remembered (pending ones are not: wait for `pendingFor` first). */
	has(keys: readonly string[], now: number, limits: RepeatLimits): boolean {
		this.prune(now, limits);
		return keys.some((key) => this.known.has(key));
	}

	/** Remembers a notification unless one of its keys is known already. */
	add(record: RememberedNotification, now: number, limits: RepeatLimits): void {
		if (record.keys.some((key) => this.known.has(key))) return;
		this.records.push(record);
		for (const key of record.keys) this.known.add(key);
		this.prune(now, limits);
	}

	/** Every record within the limits, oldest first. */
	all(now: number, limits: RepeatLimits): readonly RememberedNotification[] {
		this.prune(now, limits);
		return this.records;
	}

	/**
	 * A delivery holding one of `keys` that is still being processed, to wait for; undefined when
	 * there is none. Check again after waiting: only a synchronous `undefined` here, followed by `has`
	 * and `reserve` with no await in between, makes the check and the reservation one step.
	 */
	pendingFor(keys: readonly string[]): Promise<void> | undefined {
		for (const key of keys) {
			const wait = this.pending.get(key);
			if (wait !== undefined) return wait;
		}
		return undefined;
	}

	/**
	 * Marks `keys` as being processed (see `pendingFor`); returns the function that ends it, after
	 * `add` or without it.
	 */
	reserve(keys: readonly string[]): () => void {
		let finish = () => {};
		const done = new Promise<void>((resolve) => (finish = resolve));
		for (const key of keys) this.pending.set(key, done);
		return () => {
			for (const key of keys) if (this.pending.get(key) === done) this.pending.delete(key);
			finish();
		};
	}

	private prune(now: number, limits: RepeatLimits): void {
		const kept = withinLimits(this.records, now, limits);
		if (kept.length === this.records.length) return;
		this.records = kept;
		this.known.clear();
		for (const record of kept) for (const key of record.keys) this.known.add(key);
	}
}

const memories = new Map<string, TriggerMemory>();

/** The memory of one trigger node of one workflow in one mode. */
export function triggerMemory(workflowId: string, nodeId: string, mode: string): TriggerMemory {
	const id = [workflowId, nodeId, mode].join('\u0000');
	let memory = memories.get(id);
	if (memory === undefined) {
		memory = new TriggerMemory();
		if (memories.size >= MAX_TRIGGERS) memories.delete(memories.keys().next().value as string);
	} else {
		memories.delete(id);
	}
	// A Map keeps insertion order: re-inserting makes this the most recently used.
	memories.set(id, memory);
	return memory;
}

/** The memory of the context's trigger node in its workflow and mode (Test URL events apart). */
export function memoryOf(context: IWebhookFunctions | IExecuteFunctions): TriggerMemory {
	return triggerMemory(
		String(context.getWorkflow().id ?? ''),
		context.getNode().id,
		context.getMode(),
	);
}

/** Forgets everything, as a restart of n8n does (for tests). */
export function forgetAllTriggerMemories(): void {
	memories.clear();
}
