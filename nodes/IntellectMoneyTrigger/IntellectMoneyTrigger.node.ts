import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	buildOutput,
	eventOf,
	fieldValue,
	indexPairs,
	missingRequiredFields,
	pairsFromParsedBody,
	parseFormBody,
	verifyNotification,
} from './notification';
import type { ReceivedPair } from './notification';
import {
	notificationKeys,
	REMEMBER_DAYS,
	REMEMBERED_NOTIFICATIONS,
	rememberNotification,
} from './repeats';
import { isAllowedSender, parseAllowList } from './senderAddress';

type RepeatHandling = 'drop' | 'passOnMarked';

interface TriggerOptions {
	repeatedNotifications?: RepeatHandling;
	allowedSenderIps?: string;
	includeRawFields?: boolean;
}

/** The Events value that also passes on status codes this node does not know. */
const ANY_STATUS = '*';

const ESHOP_ID = /^\d{1,6}$/;

const shopSecretKeyPlace =
	'lk.intellectmoney.ru → Shops → your shop → "Подключение магазина" (Shop connection) tab → Secret key';

/** The non-secret Eshop ID and the Shop Secret Key, read from the credential (trimmed). */
async function readShopKeys(
	context: IHookFunctions | IWebhookFunctions,
): Promise<{ eshopId: string; shopSecretKey: string }> {
	const credentials = await context.getCredentials('intellectMoneyApi');
	const text = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	return { eshopId: text(credentials.eshopId), shopSecretKey: text(credentials.shopSecretKey) };
}

/**
 * Refuses activation (and "Listen for test event") when notifications could not be verified or the
 * settings are unusable; each message says what to fix.
 */
async function assertReadyToVerify(context: IHookFunctions): Promise<void> {
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(context.getNode(), message, { description });
	};
	const { eshopId, shopSecretKey } = await readShopKeys(context);
	if (shopSecretKey === '') {
		fail(
			'The IntellectMoney credential has no Shop Secret Key, so notifications cannot be verified',
			`Without the key anyone could send a fake payment notification. Set a Secret key in ${shopSecretKeyPlace}, and the same value as Shop Secret Key in the credential.`,
		);
	}
	if (!ESHOP_ID.test(eshopId)) {
		fail(
			'The Eshop ID in the IntellectMoney credential must be 1 to 6 digits',
			'Set Eshop ID in the credential to your shop number (lk.intellectmoney.ru → Shops). Notifications for any other shop are refused.',
		);
	}
	const events = context.getNodeParameter('events', []) as string[];
	if (!Array.isArray(events) || events.length === 0) {
		fail(
			'Choose at least one event',
			'Pick the payment statuses to start the workflow for in Events.',
		);
	}
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const { invalid } = parseAllowList(options.allowedSenderIps ?? '');
	if (invalid.length > 0) {
		fail(
			`Allowed Sender IPs has entries that are not IP addresses: ${invalid.join(', ')}`,
			'List single IPv4 or IPv6 addresses separated by commas, e.g. 91.212.151.242, 62.122.184.254, or leave the option empty.',
		);
	}
}

/** Answers a refused request itself (4xx, plain text, never `OK`) so n8n starts no execution. */
function refuse(
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
 * text is cut (dev/info/notification, reference §5): plain text is the safe reading. Express keeps a
 * Content-Type set before n8n sends the string.
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

async function handleNotification(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const options = context.getNodeParameter('options', {}) as TriggerOptions;

	const allowList = parseAllowList(options.allowedSenderIps ?? '');
	if (allowList.addresses.length > 0 || allowList.invalid.length > 0) {
		const request = context.getRequestObject();
		// request.ip follows n8n's proxy settings (N8N_PROXY_HOPS); the socket is the direct peer.
		const sender = request.ip ?? request.socket?.remoteAddress;
		if (!isAllowedSender(sender, allowList.addresses)) {
			return refuse(context, 403, 'the sender address is not in Allowed Sender IPs');
		}
	}

	const { eshopId, shopSecretKey } = await readShopKeys(context);
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
	const paymentStatus = (fieldValue(verified, 'paymentStatus') ?? '').trim();
	const events = context.getNodeParameter('events', []) as string[];
	if (!events.includes(ANY_STATUS) && !events.includes(eventOf(paymentStatus).event)) {
		// Answered OK all the same, or IntellectMoney would keep repeating it. Not remembered: it starts
		// nothing, so a record of it would only take room from the ones that did (and cost a write).
		return acknowledge(context);
	}

	const duplicate = rememberNotification(
		context.getWorkflowStaticData('node'),
		notificationKeys({
			eshopId,
			orderId: fieldValue(verified, 'orderId') ?? '',
			paymentStatus,
			paymentId: fieldValue(verified, 'paymentId') ?? '',
			hash: fieldValue(verified, 'hash') ?? '',
		}),
		receivedAt.getTime(),
	);
	if (duplicate && (options.repeatedNotifications ?? 'drop') === 'drop') {
		return acknowledge(context);
	}

	const item = buildOutput(verification, {
		duplicate,
		receivedAt,
		includeRaw: options.includeRawFields === true,
	});

	answerOkAsPlainText(context);
	// responseMode onReceived: n8n sends this `OK` only once the execution has been created.
	return {
		workflowData: [context.helpers.returnJsonArray([item as unknown as IDataObject])],
		webhookResponse: 'OK',
	};
}

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
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'intellectMoneyApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Without it, n8n 2.41.1 answers the literal "firstEntryJson" (its default responseData)
				// instead of this node's `OK` once the execution is created (webhook-helpers.js,
				// extractWebhookOnReceivedResponse; seen in test/e2e/trigger.e2e.mjs). Empty = none.
				responseData: '',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Paste this node\'s Production URL into lk.intellectmoney.ru → Shops → your shop → "Подключение магазина" → Result URL (it must be https), or send it as Result URL when creating an invoice. Switch the events on in the shop\'s "Уведомления" (Notifications) tab.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['held', 'paid'],
				description: 'The payment statuses (paymentStatus) that start the workflow',
				options: [
					{
						name: 'Any Status (Also Unknown Codes)',
						value: ANY_STATUS,
						description: 'Every verified notification, also status codes this node does not know',
					},
					{
						name: 'Cancelled (Status 4)',
						value: 'cancelled',
						description: 'The invoice was cancelled and the money returned to the payer',
					},
					{
						name: 'Created (Status 3)',
						value: 'created',
						description: 'The invoice was created',
					},
					{
						name: 'Held (Status 6)',
						value: 'held',
						description:
							'The amount is held on the invoice, waiting for capture (IntellectMoney → Purchase → Capture)',
					},
					{
						name: 'Paid (Status 5)',
						value: 'paid',
						description: 'The invoice was fully paid',
					},
					{
						name: 'Partially Paid (Status 7)',
						value: 'partiallyPaid',
						description: 'Part of the invoice was paid',
					},
					{
						name: 'Refunded (Status 8)',
						value: 'refunded',
						description: 'A refund was made on the invoice',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Allowed Sender IPs',
						name: 'allowedSenderIps',
						type: 'string',
						default: '',
						placeholder: 'e.g. 91.212.151.242, 62.122.184.254',
						description:
							'Refuse notifications from any other address (comma-separated). Empty: any sender; the hash is checked either way. IntellectMoney publishes no list, and the addresses seen in client code disagree. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n sees the real sender.',
					},
					{
						displayName: 'Include Raw Fields',
						name: 'includeRawFields',
						type: 'boolean',
						default: false,
						description:
							'Whether to add every received field (except hash and secretKey) to the item as `raw`',
					},
					{
						displayName: 'Repeated Notifications',
						name: 'repeatedNotifications',
						type: 'options',
						default: 'drop',
						description: `What to do with a notification seen before (same order, status and payment number, or the same hash). The last ${REMEMBERED_NOTIFICATIONS} notifications of the last ${REMEMBER_DAYS} days are remembered.`,
						options: [
							{
								name: 'Drop',
								value: 'drop',
								description:
									'Answer OK and start nothing, so a repeat never starts a second capture',
							},
							{
								name: 'Pass On Marked',
								value: 'passOnMarked',
								description: 'Start the workflow with `duplicate: true` on the item',
							},
						],
					},
				],
			},
		],
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
}
