/**
 * When the trigger's `OK` goes back to IntellectMoney (Options → Answer OK).
 *
 * IntellectMoney repeats a notification until it gets HTTP 200 with the body `OK`
 * (dev/info/notification). By default the trigger answers as soon as n8n has created the execution
 * (webhook responseMode `onReceived`). In queue mode an execution can still die after that: n8n
 * 2.41.1 runs Bull with `maxStalledCount: 0` (n8n `dist/scaling/scaling.service.js`), so the jobs of
 * a worker that is killed end as errors and are never retried, and nothing sends the notification
 * again. With "When Respond to Webhook Answers" the webhook uses responseMode `responseNode`: the
 * request stays open until a Respond to Webhook node answers `OK`; a workflow that fails first gets
 * n8n 2.x's HTTP 500 "Error in workflow" (`dist/webhooks/webhook-helpers.js`) or n8n 1.x's empty
 * HTTP 200 (`dist/active-executions.js` resolveExecutionResponsePromise), one whose worker dies gets
 * no answer, and IntellectMoney, which takes only the body `OK`, sends the notification again.
 *
 * Why a Respond to Webhook node and not responseMode `lastNode`: `lastNode` answers with the last
 * node's JSON (n8n `dist/webhooks/webhook-last-node-response-extractor.js`), never the literal `OK`.
 * Why version 1 of it: from 1.1 on it refuses to run unless one of its parents is n8n's own Webhook,
 * Form, Chat or Wait node (n8n-nodes-base `RespondToWebhook.node.js`, "No Webhook node found").
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IHookFunctions, INodeProperties, NodeTypeAndVersion } from 'n8n-workflow';

export type AnswerOk = 'executionCreated' | 'respondToWebhook';

const RESPOND_TO_WEBHOOK = 'n8n-nodes-base.respondToWebhook';

/** The webhook's responseMode, evaluated by n8n from the option when a notification comes in. */
export const RESPONSE_MODE =
	'={{ $parameter["options"]["answerOk"] === "respondToWebhook" ? "responseNode" : "onReceived" }}';

export const answerOkOption: INodeProperties = {
	displayName: 'Answer OK',
	name: 'answerOk',
	type: 'options',
	default: 'executionCreated',
	description:
		'When IntellectMoney gets its OK. Until then it sends the notification again, so answering only ' +
		'once the workflow has done its work means a notification whose execution was lost (e.g. a ' +
		'queue-mode worker that died) is sent again.',
	options: [
		{
			name: 'When the Execution Is Created',
			value: 'executionCreated',
			description:
				'The fastest answer; a repeat runs nothing after the trigger. A notification whose execution ' +
				'fails or is lost afterwards is not sent again, so watch the executions list.',
		},
		{
			name: 'When Respond to Webhook Answers',
			value: 'respondToWebhook',
			description:
				'End the workflow with a Respond to Webhook node (version 1, Respond With: Text, OK). A failed ' +
				'or lost execution is not answered OK, so IntellectMoney sends the notification again and it ' +
				'runs again; a repeat of one whose execution ended runs nothing after the trigger.',
		},
	],
};

/** Why the workflow cannot answer `OK` with Respond to Webhook, or null when it can. */
export function respondToWebhookProblem(downstream: NodeTypeAndVersion[]): string | null {
	const respondNodes = downstream.filter(
		(node) => node.type === RESPOND_TO_WEBHOOK && !node.disabled,
	);
	if (respondNodes.length === 0) {
		return 'Answer OK is "When Respond to Webhook Answers", but no Respond to Webhook node follows the trigger';
	}
	const answersOk = (node: NodeTypeAndVersion) => {
		const parameters = node.parameters ?? {};
		const code = (parameters.options as { responseCode?: unknown } | undefined)?.responseCode;
		return (
			node.typeVersion === 1 &&
			parameters.respondWith === 'text' &&
			parameters.responseBody === 'OK' &&
			(code === undefined || code === 200)
		);
	};
	if (!respondNodes.some(answersOk)) {
		return 'The Respond to Webhook node after the IntellectMoney Trigger must be version 1 and answer the text OK with code 200';
	}
	return null;
}

/** Refuses activation when the chosen answer cannot be given. */
export function assertAnswerOkReady(context: IHookFunctions, answerOk: AnswerOk): void {
	if (answerOk !== 'respondToWebhook') return;
	const downstream = context.getChildNodes(context.getNode().name, { includeNodeParameters: true });
	const problem = respondToWebhookProblem(downstream);
	if (problem !== null) {
		throw new NodeOperationError(context.getNode(), problem, {
			description:
				"End the workflow with a Respond to Webhook node of version 1 (1.1 and later answer only n8n's " +
				'own Webhook node), Respond With: Text, Response Body: OK; or set Answer OK to "When the Execution Is Created".',
		});
	}
}
