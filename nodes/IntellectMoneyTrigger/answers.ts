/**
 * The trigger's answers to a Result URL request. IntellectMoney wants exactly `OK` (two Latin letters,
 * HTTP 200) and repeats the notification until it gets it (docs/intellectmoney-api.md §5).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** Answers a refused request itself (plain text, never `OK`) so n8n starts no execution. */
export function refuse(
	context: IWebhookFunctions,
	statusCode: number,
	reason: string,
): IWebhookResponseData {
	const response = context.getResponseObject();
	if (!response.headersSent) {
		response.statusCode = statusCode;
		response.setHeader('Content-Type', 'text/plain; charset=utf-8');
		response.end(`Notification refused: ${reason}`);
	}
	return { noWebhookResponse: true };
}

/**
 * The doc names a header whose text is cut (dev/info/notification): plain text is the safe reading.
 * Express keeps a Content-Type set before n8n sends the string.
 */
function answerOkAsPlainText(context: IWebhookFunctions): void {
	context.getResponseObject().setHeader('Content-Type', 'text/plain; charset=utf-8');
}

/** A verified notification that starts nothing (a repeat, or an event not chosen): just `OK`. */
export function acknowledge(context: IWebhookFunctions): IWebhookResponseData {
	answerOkAsPlainText(context);
	return { webhookResponse: 'OK' };
}

/**
 * Starts the execution with one item. responseMode onReceived: n8n 2.x sends this `OK` only once the
 * execution has been created (responseNode: the workflow's Respond to Webhook node answers instead).
 */
export function startExecution(
	context: IWebhookFunctions,
	json: IDataObject,
): IWebhookResponseData {
	answerOkAsPlainText(context);
	return { workflowData: [[{ json }]], webhookResponse: 'OK' };
}
