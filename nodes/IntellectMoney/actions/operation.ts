/**
 * What an operation is: its UI properties, what it does with one item, and which money the item
 * targets. Each `actions/<resource>/<name>.operation.ts` exports these; its resource's index lists it.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { AttemptTarget } from '../atMostOnce/memory';
import type { ItemScope, RunScope } from './scope';

export interface Operation {
	description: INodeProperties[];
	/**
	 * Reads and checks one item's parameters into its request, sending nothing. The router prepares
	 * every item before it sends any (a bad item 5 must not leave items 0–4 sent and then discarded by
	 * n8n, whose Retry On Fail would send them again). Operations that move no money may omit it.
	 */
	prepare?(item: ItemScope, run: RunScope): Promise<unknown>;
	/**
	 * The target a prepared item's request is recorded under across runs (atMostOnce/memory.ts), for
	 * operations that record one: the router records every item's in one write before sending any.
	 */
	attempt?(prepared: unknown): AttemptTarget;
	/**
	 * One item: send its request (prepared by `prepare`, when there is one), shape its output. A list
	 * is several output items for this one input item (Get Many), each paired with it; an empty list
	 * is none.
	 */
	execute(item: ItemScope, run: RunScope, prepared?: unknown): Promise<IDataObject | IDataObject[]>;
	/**
	 * What money the item targets (e.g. its invoice), read cheaply without checks. With Parallel
	 * Requests, items with equal keys never run at the same time. Undefined = no constraint.
	 */
	concurrencyKey?(item: ItemScope): string | undefined;
}
