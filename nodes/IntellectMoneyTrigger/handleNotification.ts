/**
 * One Result URL request, from the raw body to n8n's answer: refused (4xx/5xx, never `OK`, nothing
 * remembered), acknowledged (`OK`, nothing started), or passed on (`OK` once n8n has the execution,
 * or from the workflow's Respond to Webhook node: answerMode.ts). Repeats: repeatGuard.ts.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { readShopKeys } from './activation';
import { acknowledge, refuse, startExecution } from './answers';
import { fieldValue, indexPairs, missingRequiredFields } from './formBody';
import { confirmationStep } from './invoiceConfirmation';
import { ANY_STATUS, readTriggerOptions } from './options';
import { buildOutput, eventOf } from './output';
import { openArrival } from './repeatGuard';
import { readPairs, senderAllowed } from './request';
import { ambiguousField, verifyNotification } from './verification';

const AMBIGUOUS = 'starts or ends with ":" (or holds "::"), so its hash is ambiguous';

export async function handleNotification(
	context: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const options = readTriggerOptions(context.getNodeParameter('options', {}));
	if (!senderAllowed(context, options)) {
		return refuse(context, 403, 'the sender address is not in Allowed Sender IPs');
	}
	const { eshopId, shopSecretKey, hasPersonalLogin } = await readShopKeys(context);
	// An empty key would make every hash computable by anyone: never accept.
	if (shopSecretKey === '')
		return refuse(context, 403, 'the trigger has no Shop Secret Key to verify it with');

	const pairs = readPairs(context);
	const index = indexPairs(pairs);
	const missing = missingRequiredFields(index);
	if (missing.length > 0) return refuse(context, 400, `missing field(s) ${missing.join(', ')}`);
	if ((fieldValue(index, 'eshopId') ?? '').trim() !== eshopId) {
		return refuse(context, 403, 'it is for another shop (eshopId)');
	}
	const ambiguous = ambiguousField(pairs);
	if (ambiguous) return refuse(context, 403, `its ${ambiguous} ${AMBIGUOUS}`);
	const verification = verifyNotification(pairs, shopSecretKey);
	if (!verification.verified) return refuse(context, 403, 'the hash does not match');

	const verified = indexPairs(verification.pairs);
	const field = (name: string) => fieldValue(verified, name) ?? '';
	const paymentStatus = field('paymentStatus').trim();
	const event = eventOf(paymentStatus).event;
	const events = context.getNodeParameter('events', []) as string[];
	// Answered OK all the same, or IntellectMoney would keep repeating it; not remembered.
	if (!events.includes(ANY_STATUS) && !events.includes(event)) return acknowledge(context);

	const [orderId, paymentId, hash, paymentData] = [
		'orderId',
		'paymentId',
		'hash',
		'paymentData',
	].map(field);
	const identity = { eshopId, orderId, paymentStatus, paymentId, hash, paymentData };
	const arrival = await openArrival(context, identity, options);
	try {
		if (arrival.startsNothing) return acknowledge(context);
		let confirmedInvoiceId: string | null = null;
		let stale = arrival.stale;
		if (options.confirmInvoiceId) {
			const claim = { eshopId, orderId, invoiceId: paymentId, event, hasPersonalLogin };
			const step = await confirmationStep(context, claim);
			if ('answer' in step) return step.answer;
			if (step.noLongerHeld && options.repeatedNotifications === 'drop')
				return acknowledge(context);
			[confirmedInvoiceId, stale] = [step.invoiceId, stale || step.noLongerHeld];
		}
		const item = buildOutput(verification, {
			duplicate: arrival.duplicate,
			stale,
			receivedAt,
			includeRaw: options.includeRawFields,
			confirmedInvoiceId,
		});
		return startExecution(context, { ...item, ...arrival.passOn() } as unknown as IDataObject);
	} finally {
		arrival.close();
	}
}
