/**
 * Dispatches to the chosen operation and owns the item loop: one output item per input item, in
 * order, each with `pairedItem`; with Continue On Fail a failed item comes out as an error item and
 * the loop goes on.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Resource } from '../interfaces';
import { createExecutionContext } from './executionContext';
import type { OperationModule } from './executionContext';
import * as payout from './payout';
import * as purchase from './purchase';

const operations: Record<Resource, Record<string, OperationModule>> = {
	purchase: {
		capture: purchase.capture,
		createInvoice: purchase.createInvoice,
		get: purchase.get,
		refund: purchase.refund,
	},
	payout: { create: payout.create, execute: payout.execute, get: payout.get },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as Resource;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (operation === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported for resource "${resource}"`,
		);
	}

	const context = createExecutionContext(this);
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await operation.execute.call(this, itemIndex, context);
			returnData.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			returnData.push({
				json: {
					error: nodeError.message,
					description: nodeError.description ?? null,
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [returnData];
}

/**
 * The error as n8n shows it, naming the item: `… [item 2]`. One error object can reach several items
 * (a failed user-token request is shared by the execution), so an earlier item's suffix is replaced.
 */
function asNodeError(
	node: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(node.getNode(), error as Error, { itemIndex });
	nodeError.message = `${nodeError.message.replace(/ \[item \d+\]$/, '')} [item ${itemIndex}]`;
	nodeError.context.itemIndex = itemIndex;
	return nodeError;
}
