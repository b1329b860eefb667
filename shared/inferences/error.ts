/**
 * The error of a read that shows an inference wrong (endpointLooksWrong): it names the inference,
 * says what the live answer looked like (shape only), points to Account → Check Setup and says what
 * the operator can do. Money-moving operations throw it instead of "could not be read first" when the
 * read's endpoint itself is wrong, so the operator is not left at a dead end.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { WrongEndpoint } from './endpointLooksWrong';
import { inference } from './table';

/** Where the check is, in the operator's words. */
export const SETUP_CHECK =
	'IntellectMoney → Account → Check Setup (read-only; the example workflow "Check my IntellectMoney setup (read-only)")';

/**
 * `what` is the failed step in the operator's words, e.g. "The payout's state could not be read
 * first". The error's context carries `inference` (the id) and `wrongEndpoint` (the kind) for callers.
 */
export function inferenceError(
	node: INode,
	inferenceId: string,
	what: string,
	seen: WrongEndpoint,
): NodeApiError {
	const entry = inference(inferenceId);
	const message = `${what}: IntellectMoney's live answer does not fit the package's inference "${entry.id}"`;
	const description = [
		`The package assumes that ${entry.assumption} (an inference, docs/intellectmoney-api.md ${entry.docSection}).`,
		`The live answer was ${seen.shape}.`,
		entry.whenWrong,
		`To see which of the package's inferences hold for your account, run ${SETUP_CHECK}.`,
	].join(' ');
	const error = new NodeApiError(
		node,
		{ message, inference: entry.id, kind: seen.kind } as JsonObject,
		{
			message,
			description,
			httpCode: seen.kind === 'http-404' ? '404' : undefined,
		},
	);
	error.context.inference = entry.id;
	error.context.wrongEndpoint = seen.kind;
	return error;
}
