/**
 * The repeat guard: a repeated IntellectMoney notification runs nothing after the trigger, in every
 * process of an n8n installation. IntellectMoney repeats a notification until it is answered `OK`
 * (docs/intellectmoney-api.md §5); how often and for how long is not published.
 *
 * Two places, one decision:
 * - on arrival (`webhook()`, in the process that got the request): `openArrival` classifies it by this
 *   process's memory (repeatMemory.ts; deliveries at once wait for each other) and by its payment date
 *   (freshness.ts). A repeat known here, or one too old to tell, is answered `OK` and starts nothing.
 * - in the execution (`execute()`, the first node of the execution a notification started; a
 *   queue-mode worker): `guardExecution` records it in n8n's deduplication store, shared by every
 *   process (sharedStore.ts). A repeat recognised there puts out no items, so nothing downstream
 *   runs, and says so in the log and in the node's execution hints.
 * With Answer OK → When Respond to Webhook Answers a repeat is the recovery of an execution that died:
 * it is a repeat only once the first execution ENDED (endedRecord.ts), and arrivals are not judged by
 * this process's memory. README "Repeated notifications" says what holds where.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import { clock } from '../../shared/clock';
import { executionEnded, recordWhenEnded } from './endedRecord';
import { judgeFreshness } from './freshness';
import { readTriggerOptions } from './options';
import type { TriggerOptions } from './options';
import { notificationKeys } from './repeatKeys';
import { memoryOf } from './repeatMemory';
import { recordInSharedStore } from './sharedStore';

/** The item field that carries a new notification's keys from `webhook()` to `execute()`. */
const KEYS_FIELD = '__intellectMoneyRepeatKeys';

export interface NotificationIdentity {
	eshopId: string;
	orderId: string;
	paymentStatus: string;
	paymentId: string;
	hash: string;
	paymentData: string;
}

export interface Arrival {
	/** Known to this process already (never with Answer OK → When Respond to Webhook Answers). */
	duplicate: boolean;
	/** Its payment date is outside the remembered window, so a repeat could not be told apart. */
	stale: boolean;
	/** A repeat or stale one under Repeated Notifications → Drop: answer `OK`, start nothing. */
	startsNothing: boolean;
	/** Marks it as this process's from now on; the fields the item carries to `execute()`. */
	passOn(): IDataObject;
	/** Ends the wait of other deliveries of it (after passOn, or when it is refused). */
	close(): void;
}

const answersAfter = (options: TriggerOptions) => options.answerOk === 'respondToWebhook';

/** Classifies a verified notification on arrival; `close()` it whatever happens next. */
export async function openArrival(
	context: IWebhookFunctions,
	identity: NotificationIdentity,
	options: TriggerOptions,
): Promise<Arrival> {
	const now = clock.now();
	const keys = notificationKeys(identity);
	const usesMemory = !answersAfter(options);
	const memory = memoryOf(context);
	// A delivery still being handled (e.g. confirming its invoice) decides first. From the last
	// check on there is no await until the keys are reserved or answered.
	if (usesMemory)
		for (let wait = memory.pendingFor(keys); wait; wait = memory.pendingFor(keys)) await wait;
	const duplicate = usesMemory && memory.has(keys, now, options.limits);
	const freshness = judgeFreshness(identity.paymentData, now, options.limits.windowMs);
	if (!freshness.fresh) {
		context.logger.warn(
			`IntellectMoney Trigger: a verified notification is not passed on as new: its paymentData is ` +
				`${freshness.reason} (Remember For is ${options.limits.windowMs / 86_400_000} days)`,
		);
	}
	const marked = duplicate || !freshness.fresh;
	const release = marked || !usesMemory ? undefined : memory.reserve(keys);
	return {
		duplicate,
		stale: !freshness.fresh,
		startsNothing: marked && options.repeatedNotifications === 'drop',
		passOn() {
			// A repeat, or one too old to tell, adds no record: replays cannot push the genuine one out.
			if (marked) return {};
			if (usesMemory)
				memory.add({ keys, seenAt: Math.floor(now / 1000) * 1000 }, now, options.limits);
			return { [KEYS_FIELD]: keys.join('.') };
		},
		close: () => release?.(),
	};
}

const REPEAT_NOTE =
	'A repeat of a notification that already started an execution: nothing after the trigger runs';

/** Whether one carried notification runs on: recorded new in the shared store, or a recovery. */
async function isNew(context: IExecuteFunctions, keys: string[], options: TriggerOptions) {
	const now = clock.now();
	const maxEntries = 2 * options.limits.maxNotifications;
	try {
		const verdict = await recordInSharedStore(context, keys, maxEntries);
		if (!answersAfter(options)) return verdict === 'new';
		if (verdict === 'repeat' && executionEnded(context, keys, now, options.limits)) return false;
		if (verdict === 'repeat') {
			context.logger.info(
				'IntellectMoney Trigger: a repeat whose first execution did not end runs again (Answer OK → When Respond to Webhook Answers)',
			);
		}
		recordWhenEnded(context, keys, now, options.limits);
		return true;
	} catch (error) {
		// Never lose a notification for want of a record: it runs on, and the log says why.
		context.logger.warn(
			`IntellectMoney Trigger could not check n8n's deduplication store, so a repeat is not recognised: ${(error as Error).message}`,
		);
		return true;
	}
}

/** `execute()`: takes the carried keys off the items and leaves out (or marks) the repeats. */
export async function guardExecution(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = readTriggerOptions(context.getNodeParameter('options', 0, {}));
	const output: INodeExecutionData[] = [];
	for (const [index, item] of context.getInputData().entries()) {
		const { [KEYS_FIELD]: carried, ...json } = item.json;
		const keys = typeof carried === 'string' ? carried.split('.') : [];
		const pass = keys.length !== 2 || (await isNew(context, keys, options));
		if (!pass) {
			context.logger.info(`IntellectMoney Trigger: ${REPEAT_NOTE} (n8n's deduplication store)`);
			context.addExecutionHints({ message: `${REPEAT_NOTE}.`, location: 'outputPane' });
			if (options.repeatedNotifications === 'drop') continue;
			json.duplicate = true;
		}
		output.push({ json: json as IDataObject, pairedItem: { item: index } });
	}
	if (output.length === 0 && answersAfter(options)) await answerOkForRepeat(context);
	return output;
}

/**
 * With Answer OK → When Respond to Webhook Answers, the Respond to Webhook node of a repeat never runs:
 * the trigger answers `OK` itself, the way that node does (`sendResponse`; from a queue-mode worker
 * n8n relays it to the process holding the request). Without it IntellectMoney would repeat forever.
 */
async function answerOkForRepeat(context: IExecuteFunctions): Promise<void> {
	try {
		await context.sendResponse({
			body: 'OK',
			headers: { 'content-type': 'text/plain; charset=utf-8' },
			statusCode: 200,
		});
	} catch (error) {
		// Not answered: IntellectMoney sends it again, and the next repeat is answered the same way.
		context.logger.warn(
			`IntellectMoney Trigger could not answer OK to a repeat: ${(error as Error).message}`,
		);
	}
}
