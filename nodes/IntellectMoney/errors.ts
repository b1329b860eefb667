/**
 * How a failed item reports. Validators and operations throw an `ItemError` (what is wrong and how to
 * fix it) or the transport's `NodeApiError`; the router turns each into the error n8n shows for that
 * item, naming it (`… [item 2]`), in one place (`errorForItem`). A fresh error object for every item:
 * one error can reach several items (a failed user-token request is shared by the execution).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** Bad input, or an item the node will not send: a NodeOperationError for the item that threw it. */
export class ItemError extends Error {
	constructor(
		message: string,
		readonly description: string,
		/** Nothing was sent for the item: its input is bad (`invalid`) or the node would not send it. */
		readonly outcome: 'invalid' | 'notSent' = 'invalid',
	) {
		super(message);
	}
}

/**
 * What became of the item's request, when the error says (atMostOnce/errors.ts marks money-moving
 * outcomes; bad input is `invalid`): a Continue On Fail item's `outcome` and the error's context.
 */
export function outcomeOf(error: unknown): string | undefined {
	if (error instanceof ItemError) return error.outcome;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		const outcome = error.context?.outcome;
		return typeof outcome === 'string' ? outcome : undefined;
	}
	return undefined;
}

/** The error n8n shows for item `itemIndex`, from whatever the item threw. */
export function errorForItem(
	node: INode,
	error: unknown,
	itemIndex: number,
	extra: { message?: string; description?: string } = {},
): NodeApiError | NodeOperationError {
	const base = error instanceof Error ? error.message.replace(/ \[item \d+\]$/, '') : String(error);
	const message = `${base}${extra.message ?? ''} [item ${itemIndex}]`;
	const own =
		error instanceof NodeApiError ||
		error instanceof NodeOperationError ||
		error instanceof ItemError;
	const described = own
		? ((error as { description?: string | null }).description ?? undefined)
		: undefined;
	const description =
		extra.description === undefined ? described : `${described ?? ''} ${extra.description}`.trim();
	const made = remake(node, error, { base, message, description, itemIndex, own });
	const outcome = outcomeOf(error);
	if (outcome !== undefined) made.context.outcome = outcome;
	return made;
}

function remake(
	node: INode,
	error: unknown,
	{
		base,
		message,
		description,
		itemIndex,
		own,
	}: { base: string; message: string; description?: string; itemIndex: number; own: boolean },
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError) {
		const response = { ...((error.errorResponse as JsonObject | undefined) ?? {}), message: base };
		return new NodeApiError(node, response, {
			message,
			description,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
			failure: error.failure,
		});
	}
	if (own) return new NodeOperationError(node, message, { description, itemIndex });
	return new NodeOperationError(node, error as Error, { message, itemIndex });
}
