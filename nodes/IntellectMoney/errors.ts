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
	) {
		super(message);
	}
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
