/**
 * The errors of a money-moving request's outcomes (protocol.ts `Outcome`), each marked with its
 * outcome in `context.outcome` (errors.ts carries it to the item's error and to a Continue On Fail
 * item's `outcome`), so a workflow and the model tests can tell "nothing was sent" from "it may have
 * been carried out" without reading the words.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { Outcome } from './protocol';
import type { LostAnswer } from './send';

type Spec = { node: INode; message: string; description: string };

/** `error` (or a NodeApiError made from `spec`) marked with its outcome. */
export function outcomeError(
	outcome: Exclude<Outcome, 'sent' | 'alreadyDone'>,
	error: NodeApiError | Spec,
): NodeApiError {
	const made =
		error instanceof NodeApiError
			? error
			: new NodeApiError(error.node, { message: error.message } as JsonObject, {
					message: error.message,
					description: error.description,
				});
	made.context.outcome = outcome;
	return made;
}

/** The error of an answer that may have been carried out, with what the node read and what to check. */
export function lostError(node: INode, lost: LostAnswer, advice: string): NodeApiError {
	if ('withoutState' in lost) {
		const code = lost.withoutState.OperationState?.Code;
		return outcomeError('lost', {
			node,
			message: 'IntellectMoney answered without a result (no Result.State)',
			description:
				`OperationState.Code ${code ?? '-'}, but no Result.State, which every processed request ` +
				`carries, so it may or may not have been carried out.${advice}`,
		});
	}
	const { error } = lost.failure;
	// IntellectMoney publishes no HTTP 429 (docs/intellectmoney-api.md §4): whatever answered it may have
	// passed the request on first, so it is no proof that nothing was carried out.
	const base =
		error.httpCode === '429'
			? 'It answered HTTP 429 (Too Many Requests). IntellectMoney publishes no such answer, so ' +
				'something in front of it may have answered after passing the request on: it may have been carried out.'
			: (error.description ?? '');
	const made = new NodeApiError(node, { message: error.message } as JsonObject, {
		message: error.message,
		description: `${base}${advice}`.trim(),
		httpCode: error.httpCode ?? undefined,
	});
	return outcomeError('lost', made);
}
