/** What the trigger reads from the HTTP request itself: the sender's address and the pairs. */
import type { IWebhookFunctions } from 'n8n-workflow';

import { pairsFromParsedBody, parseFormBody } from './formBody';
import type { ReceivedPair } from './formBody';
import type { TriggerOptions } from './options';
import { isAllowedSender, parseAllowList } from './senderAddress';

/** Whether Allowed Sender IPs lets this request's sender in (an empty list lets everyone in). */
export function senderAllowed(context: IWebhookFunctions, options: TriggerOptions): boolean {
	const allowList = parseAllowList(options.allowedSenderIps);
	if (allowList.addresses.length === 0 && allowList.invalid.length === 0) return true;
	const request = context.getRequestObject();
	// request.ip follows n8n's proxy settings (N8N_PROXY_HOPS); the socket is the direct peer.
	return isAllowedSender(request.ip ?? request.socket?.remoteAddress, allowList.addresses);
}

/**
 * The received pairs: parsed from the raw body (so hashed values are the bytes that were sent, and a
 * windows-1251 body can be re-read) when it is a form; else from n8n's parsed body (JSON).
 */
export function readPairs(context: IWebhookFunctions): ReceivedPair[] {
	const request = context.getRequestObject();
	const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
	const rawBody: unknown = request.rawBody;
	const isForm = contentType === '' || contentType.startsWith('application/x-www-form-urlencoded');
	if (isForm && rawBody instanceof Uint8Array) return parseFormBody(rawBody);
	return pairsFromParsedBody(context.getBodyData());
}
