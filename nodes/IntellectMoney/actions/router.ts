/**
 * Dispatches to the chosen operation (the list is read from the resources' own modules) and turns
 * what the items did into n8n's output: each input item's output in input order, every output item
 * with `pairedItem` to its input item (one, or several for a list operation such as Get Many); with
 * Continue On Fail a failed input item comes out as one error item. Errors get their item index
 * here, and only here (errors.ts).
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { flushAttempts, recordAttempts } from '../atMostOnce/memory';
import { errorForItem, outcomeOf } from '../errors';
import type { ItemError } from '../errors';
import { parallelRequests as readParallelRequests } from './common/options';
import { runItems } from './itemPool';
import * as account from './account';
import type { Operation } from './operation';
import * as payout from './payout';
import * as purchase from './purchase';
import { createItemScope, createRunScope } from './scope';
import type { ItemScope, RunScope } from './scope';

const operations = {
	purchase: purchase.operations,
	payout: payout.operations,
	account: account.operations,
} satisfies Record<string, Record<string, Operation>>;

export type Resource = keyof typeof operations;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const byName: Record<string, Operation> | undefined = Object.prototype.hasOwnProperty.call(
		operations,
		resource,
	)
		? operations[resource as Resource]
		: undefined;
	const operation =
		byName && Object.prototype.hasOwnProperty.call(byName, operationName)
			? byName[operationName]
			: undefined;
	if (operation === undefined) {
		throw new NodeOperationError(
			node,
			`The operation "${operationName}" is not supported for resource "${resource}"`,
		);
	}
	let parallelRequests: number;
	try {
		// Read once per execution, from item 0, and refused before anything is sent.
		parallelRequests = readParallelRequests(
			this.getNodeParameter('options.parallelRequests', 0, 1),
		);
	} catch (error) {
		// A setting of the whole execution, not of one item: said without an item number.
		const { message, description } = error as ItemError;
		throw new NodeOperationError(node, message, { itemIndex: 0, description });
	}
	const run = createRunScope(this);
	const continueOnFail = this.continueOnFail();
	const scopes = items.map((_item, index) => createItemScope(this, index));

	// Every item is read and checked before any is sent.
	const prepared = await prepareItems(operation, scopes, run);
	const invalid = prepared.findIndex((entry) => 'error' in entry);
	if (!continueOnFail && invalid >= 0) {
		throw errorForItem(node, (prepared[invalid] as { error: unknown }).error, invalid, {
			description:
				items.length > 1
					? 'Nothing was sent for any item: every item is checked first.'
					: undefined,
		});
	}

	if (operation.attempt) {
		const attemptOf = operation.attempt;
		const valid = prepared.filter((entry): entry is { value: unknown } => 'value' in entry);
		await recordAttempts(
			this,
			valid.map((entry) => attemptOf(entry.value)),
		);
	}
	let pool: Awaited<ReturnType<typeof runItems>>;
	try {
		pool = await runItems(operation, {
			itemCount: items.length,
			parallelRequests,
			continueOnFail,
			item: (index) => scopes[index],
			execute: async (item) => {
				const entry = prepared[item.index];
				if ('error' in entry) throw entry.error;
				return await operation.execute(item, run, entry.value);
			},
		});
	} finally {
		await flushAttempts(this);
	}
	const { outcomes, startedIndices, firstFailure } = pool;

	if (firstFailure !== undefined) {
		const { itemIndex, error } = firstFailure;
		const later = startedIndices.filter((started) => started > itemIndex).sort((a, b) => a - b);
		const done = operation.prepare ? doneBefore(outcomes, itemIndex) : [];
		// n8n shows only this error and drops the other items' output: say which ones moved money.
		const doneWords =
			done.length === 0
				? ''
				: `Item${done.length === 1 ? '' : 's'} ${done.join(', ')} ${done.length === 1 ? 'was' : 'were'} ` +
					`carried out before this failure; n8n does not show ${done.length === 1 ? 'its' : 'their'} ` +
					`output. Retry On Fail, or a re-run, does not send ${done.length === 1 ? 'it' : 'them'} again ` +
					`(they come out with alreadyDone, or as an error where an earlier run's request cannot be confirmed).`;
		if (later.length === 0) {
			throw errorForItem(node, error, itemIndex, doneWords ? { description: doneWords } : {});
		}
		// Items after the failed one were already on their way: n8n shows only this error, so say so.
		const laterDone = done.filter((entry) => Number.parseInt(entry, 10) > itemIndex);
		const laterWords = later
			.filter((index) => !laterDone.some((entry) => Number.parseInt(entry, 10) === index))
			.filter((index) => !provedUntouched(outcomes[index]))
			.map((index) => {
				const entry = prepared[index];
				const target =
					operation.attempt && 'value' in entry ? operation.attempt(entry.value).target : '';
				return target ? `${index} (${targetWords(target)})` : String(index);
			})
			.join(', ');
		throw errorForItem(node, error, itemIndex, {
			message:
				` (Parallel Requests: ${later.length} later item${later.length === 1 ? ' was' : 's were'} sent ` +
				`alongside and may have been processed)`,
			description:
				`${doneWords} With Parallel Requests ${parallelRequests}, ` +
				`${
					laterWords
						? `item${laterWords.includes(',') ? 's' : ''} ${laterWords} started before this failure was known ` +
							`and may have moved money: `
						: ''
				}check ` +
				`their state before running the batch again.`.trim(),
		});
	}

	const returnData: INodeExecutionData[] = outcomes.flatMap((outcome, itemIndex) => {
		if (outcome !== undefined && 'json' in outcome) {
			const list = Array.isArray(outcome.json) ? outcome.json : [outcome.json];
			return list.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		}
		// Continue On Fail: every item ran, so every failure is here.
		const failure = errorForItem(node, outcome?.error, itemIndex);
		const kind = failure.context.outcome;
		return [
			{
				json: {
					error: failure.message,
					description: failure.description ?? null,
					...(typeof kind === 'string' ? { outcome: kind } : {}),
				},
				pairedItem: { item: itemIndex },
			},
		];
	});
	return [returnData];
}

type Prepared = { value: unknown } | { error: unknown };

async function prepareItems(
	operation: Operation,
	scopes: ItemScope[],
	run: RunScope,
): Promise<Prepared[]> {
	const prepared: Prepared[] = [];
	for (const scope of scopes) {
		try {
			prepared.push({ value: operation.prepare ? await operation.prepare(scope, run) : undefined });
		} catch (error) {
			prepared.push({ error });
		}
	}
	return prepared;
}

/**
 * The items before `itemIndex` that were answered (their output is lost when the execution fails),
 * each with the target its output names: "0 (invoice 3000000001)".
 */
function doneBefore(
	outcomes: Array<{ json: unknown } | { error: unknown } | undefined>,
	itemIndex: number,
): string[] {
	const done: string[] = [];
	outcomes.forEach((outcome, index) => {
		if (index === itemIndex || outcome === undefined || !('json' in outcome)) return;
		const json = (Array.isArray(outcome.json) ? outcome.json[0] : outcome.json) as
			| IDataObject
			| undefined;
		const names = [
			json?.invoiceId ? `invoice ${String(json.invoiceId)}` : '',
			json?.orderId ? `Order ID ${String(json.orderId)}` : '',
			json?.payoutOperationId ? `payout ${String(json.payoutOperationId)}` : '',
		].filter(Boolean);
		done.push(names.length > 0 ? `${index} (${names.join(', ')})` : String(index));
	});
	return done;
}

/** A remembered target in the operator's words: "450000:order:A-1" → "Order ID A-1". */
function targetWords(target: string): string {
	const [, kind, ...rest] = target.split(':');
	const id = rest.join(':');
	if (kind === 'order') return `Order ID ${id}`;
	if (kind === 'invoice') return `invoice ${id}`;
	return `payout ${target}`;
}

/** An item whose error proves its request moved nothing (refused, never sent, bad input). */
function provedUntouched(outcome: { json: unknown } | { error: unknown } | undefined): boolean {
	if (outcome === undefined || !('error' in outcome)) return false;
	const kind = outcomeOf(outcome.error);
	return kind !== undefined && kind !== 'lost';
}
