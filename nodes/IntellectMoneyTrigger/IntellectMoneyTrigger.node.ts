import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { assertReadyToVerify } from './activation';
import { RESPONSE_MODE } from './answerMode';
import { refuse } from './answers';
import { triggerProperties } from './description';
import { handleNotification } from './handleNotification';
import { guardExecution } from './repeatGuard';

export class IntellectMoneyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IntellectMoney Trigger',
		name: 'intellectMoneyTrigger',
		icon: {
			light: 'file:../../icons/intellectMoney.svg',
			dark: 'file:../../icons/intellectMoney.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow when IntellectMoney sends a payment notification (Result URL), after checking its hash',
		defaults: { name: 'IntellectMoney Trigger' },
		// Used as it is; the codex link would get n8n's tracking after its "#" (see IntellectMoney.node.ts).
		documentationUrl:
			'https://github.com/n8n-nodes-intellectmoney/n8n-nodes-intellectmoney#trigger-payment-notifications-result-url',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'intellectMoneyApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// onReceived, or responseNode with Options → Answer OK → When Respond to Webhook Answers.
				responseMode: RESPONSE_MODE,
				// Without it, n8n 2.41.1 answers the literal "firstEntryJson" (its default responseData)
				// instead of this node's `OK` once the execution is created (webhook-helpers.js,
				// extractWebhookOnReceivedResponse; seen in test/e2e/trigger.e2e.mjs). Empty = none.
				responseData: '',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			// IntellectMoney has no API to register a Result URL: the operator pastes the URL in the
			// cabinet (or sends it as ResultUrl with each invoice). So nothing is called remotely; these
			// hooks only refuse activation while notifications could not be verified.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				await assertReadyToVerify(this);
				// "Not registered": n8n then calls create, which checks the settings once more.
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await assertReadyToVerify(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		try {
			return await handleNotification(this);
		} catch (error) {
			// Never let n8n turn a failure here into an execution: answer 500 (IntellectMoney repeats
			// the notification later) and log why, without any value from the request.
			this.logger.error(
				`IntellectMoney Trigger could not process a notification: ${(error as Error).message}`,
			);
			return refuse(this, 500, 'the trigger could not process it; it may be sent again');
		}
	}

	/**
	 * Runs as the first node of the execution a notification started (on a queue-mode worker too):
	 * a repeat recognised in n8n's deduplication store puts out no items, so nothing after it runs
	 * (repeatGuard.ts).
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await guardExecution(this)];
	}
}
