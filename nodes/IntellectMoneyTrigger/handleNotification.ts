/**
 * One Result URL request, from the raw body to n8n's answer: refused (4xx/5xx, never `OK`, nothing
 * remembered), acknowledged (`OK`, nothing started), or passed on (`OK` once n8n has the execution,
 * or from the workflow's Respond to Webhook node: answerMode.ts).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { readShopKeys } from './activation';
import { remembersRepeats } from './answerMode';
import { ANY_STATUS, readTriggerOptions } from './description';
import { judgeFreshness } from './freshness';
import { confirmInvoice } from './invoiceConfirmation';
import {
	fieldValue,
	indexPairs,
	missingRequiredFields,
	pairsFromParsedBody,
	parseFormBody,
	verifyNotification,
} from './notification';
import type { ReceivedPair } from './notification';
import { buildOutput, eventOf } from './output';
import { memoryOf } from './repeatMemory';
import {
	isKnown,
	mergeRecords,
	notificationKeys,
	readRemembered,
	REPEAT_RECORD_FIELD,
	serializeRecord,
	writeRemembered,
} from './repeats';
import type { RememberedNotification } from './repeats';
import { isAllowedSender, parseAllowList } from './senderAddress';

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
 * IntellectMoney wants exactly `OK` (two Latin letters, HTTP 200) and the doc names a header whose
 * text is cut (dev/info/notification): plain text is the safe reading. Express keeps a Content-Type
 * set before n8n sends the string.
 */
function answerOkAsPlainText(context: IWebhookFunctions): void {
	context.getResponseObject().setHeader('Content-Type', 'text/plain; charset=utf-8');
}

/** A verified notification that starts nothing (a repeat, or an event not chosen): just `OK`. */
function acknowledge(context: IWebhookFunctions): IWebhookResponseData {
	answerOkAsPlainText(context);
	return { webhookResponse: 'OK' };
}

/**
 * The received pairs: parsed from the raw body (so hashed values are the bytes that were sent, and a
 * windows-1251 body can be re-read) when it is a form; else from n8n's parsed body (JSON).
 */
function readPairs(context: IWebhookFunctions): ReceivedPair[] {
	const request = context.getRequestObject();
	const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
	const rawBody: unknown = request.rawBody;
	const isForm = contentType === '' || contentType.startsWith('application/x-www-form-urlencoded');
	if (isForm && rawBody instanceof Uint8Array) return parseFormBody(rawBody);
	return pairsFromParsedBody(context.getBodyData());
}

export async function handleNotification(
	context: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const now = receivedAt.getTime();
	const options = readTriggerOptions(context.getNodeParameter('options', {}));

	const allowList = parseAllowList(options.allowedSenderIps);
	if (allowList.addresses.length > 0 || allowList.invalid.length > 0) {
		const request = context.getRequestObject();
		// request.ip follows n8n's proxy settings (N8N_PROXY_HOPS); the socket is the direct peer.
		const sender = request.ip ?? request.socket?.remoteAddress;
		if (!isAllowedSender(sender, allowList.addresses)) {
			return refuse(context, 403, 'the sender address is not in Allowed Sender IPs');
		}
	}

	const { eshopId, shopSecretKey, hasPersonalLogin } = await readShopKeys(context);
	if (shopSecretKey === '') {
		// An empty key would make every hash computable by anyone: never accept.
		return refuse(context, 403, 'the trigger has no Shop Secret Key to verify it with');
	}

	const pairs = readPairs(context);
	const index = indexPairs(pairs);
	const missing = missingRequiredFields(index);
	if (missing.length > 0) {
		return refuse(context, 400, `missing field(s) ${missing.join(', ')}`);
	}
	if ((fieldValue(index, 'eshopId') ?? '').trim() !== eshopId) {
		return refuse(context, 403, 'it is for another shop (eshopId)');
	}
	const verification = verifyNotification(pairs, shopSecretKey);
	if (!verification.verified) {
		return refuse(context, 403, 'the hash does not match');
	}

	const verified = indexPairs(verification.pairs);
	const field = (name: string) => fieldValue(verified, name) ?? '';
	const paymentStatus = field('paymentStatus').trim();
	const events = context.getNodeParameter('events', []) as string[];
	if (!events.includes(ANY_STATUS) && !events.includes(eventOf(paymentStatus).event)) {
		// Answered OK all the same, or IntellectMoney would keep repeating it. Not remembered: it starts
		// nothing, so a record of it would only take room from the ones that did.
		return acknowledge(context);
	}

	const keys = notificationKeys({
		eshopId,
		orderId: field('orderId'),
		paymentStatus,
		paymentId: field('paymentId'),
		hash: field('hash'),
	});
	// Answering OK after the workflow, the trigger neither reads nor keeps records of repeats, and
	// leaves static data alone (answerMode.ts): each repeat runs the workflow again.
	const remembers = remembersRepeats(options);
	const memory = memoryOf(context);
	// A delivery of the same notification still being handled (e.g. confirming its invoice) decides
	// first. From the last check on there is no await until the keys are reserved or answered.
	if (remembers) {
		for (let wait = memory.pendingFor(keys); wait; wait = memory.pendingFor(keys)) await wait;
	}
	const staticData = remembers ? context.getWorkflowStaticData('node') : undefined;
	const stored = staticData ? readRemembered(staticData, now, options.limits) : [];
	const duplicate = remembers && (memory.has(keys, now, options.limits) || isKnown(stored, keys));
	const freshness = judgeFreshness(field('paymentData'), now, options.limits.windowMs);
	if (!freshness.fresh) {
		context.logger.warn(
			`IntellectMoney Trigger: a verified notification is not passed on as new: its paymentData is ${freshness.reason} (Remember For is ${options.limits.windowMs / 86_400_000} days)`,
		);
	}
	const marked = duplicate || !freshness.fresh;
	// A repeat, or one too old to tell, adds no record: replays cannot push the genuine one out.
	if (marked && options.repeatedNotifications === 'drop') return acknowledge(context);

	const release = marked || !remembers ? undefined : memory.reserve(keys);
	try {
		let confirmedInvoiceId: string | null = null;
		if (options.confirmInvoiceId) {
			if (!hasPersonalLogin) {
				return refuse(
					context,
					503,
					'Confirm Invoice ID needs Login and Password in the credential',
				);
			}
			const confirmation = await confirmInvoice(context, {
				eshopId,
				orderId: field('orderId'),
				invoiceId: fieldValue(verified, 'paymentId') ?? null,
			});
			if (confirmation.outcome !== 'confirmed') {
				context.logger.warn(
					`IntellectMoney Trigger: a verified notification was not passed on: ${confirmation.reason}`,
				);
				// Not remembered either way, so the genuine notification still passes when it comes.
				return confirmation.outcome === 'mismatch'
					? refuse(context, 403, `the invoice number is not this order's (${confirmation.reason})`)
					: refuse(
							context,
							503,
							`the invoice number could not be confirmed now (${confirmation.reason}); send it again later`,
						);
			}
			confirmedInvoiceId = confirmation.invoiceId;
		}

		let record: RememberedNotification | undefined;
		if (!marked && staticData) {
			record = { keys, seenAt: Math.floor(now / 1000) * 1000 };
			memory.add(record, now, options.limits);
			// Saved by n8n 1.x, and by 2.x for a workflow's very first notification; executionRecord.ts
			// saves it where n8n 2.x does save static data.
			writeRemembered(staticData, mergeRecords(stored, [record], now, options.limits).records);
		}

		const item = buildOutput(verification, {
			duplicate,
			stale: !freshness.fresh,
			receivedAt,
			includeRaw: options.includeRawFields,
			confirmedInvoiceId,
		});
		const json = {
			...item,
			...(record ? { [REPEAT_RECORD_FIELD]: serializeRecord(record) } : {}),
		} as unknown as IDataObject;
		answerOkAsPlainText(context);
		// responseMode onReceived: n8n 2.x sends this `OK` only once the execution has been created
		// (responseNode: the Respond to Webhook node answers instead).
		return { workflowData: [[{ json }]], webhookResponse: 'OK' };
	} finally {
		release?.();
	}
}
