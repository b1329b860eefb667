// @ts-check
/**
 * The notifications of a load phase, as IntellectMoney would send them to a shop whose Result URL is
 * served by both n8n's main instance and its webhook processor, several at a time:
 * - each held invoice's "held" notification, delivered with the sandbox's retry policy, to main or to
 *   the webhook processor in turn;
 * - for some invoices the same delivery to both processes at the same moment (an exact repeat);
 * - for some, the same bytes again a few seconds later (an exact repeat, delivered with the same
 *   retries: IntellectMoney repeats whatever it did not get `OK` for, and a repeat whose execution dies
 *   with a killed worker gets no answer);
 * - for some, the same notification with only the unhashed `paymentId` changed, to a decoy invoice
 *   that is held but that no genuine notification names (if it were ever captured, the unhashed
 *   field was trusted);
 * - forged ones: a wrong hash, another shop, a missing hash (decoys' orders), and a genuine invoice's
 *   notification with its amount changed under the original hash.
 * Nothing here judges the outcome: the phase's records are returned for the assertions.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** @typedef {import('../../dev/sandbox/index.mjs').Sandbox} Sandbox */
/** @typedef {import('../../dev/sandbox/index.mjs').Invoice} Invoice */

/**
 * @typedef {'original' | 'simultaneous' | 'later' | 'paymentIdChanged' | 'forged'} Kind
 * @typedef {'main' | 'webhook'} Target
 * @typedef {object} Sent
 * @property {Kind} kind
 * @property {string} orderId
 * @property {Target} target
 * @property {number} startedAt
 * @property {number} endedAt
 * @property {number | null} status  the last attempt's HTTP status (null: no answer)
 * @property {string} body  the last attempt's answer
 * @property {boolean} ok  the last attempt was answered 200 `OK`
 * @property {number} attempts  1 + the sandbox's retries
 * @property {string} [forge]
 */

/** Seconds after its first delivery that a "later" repeat is sent. */
const LATER_REPEAT_MS = 3000;

/**
 * Held invoices, created with hold as by Create Invoice and paid by the buyer (`payInvoice`), with no
 * Result URL: their notifications are sent by the phase itself.
 * @param {Sandbox} sandbox @param {string} prefix @param {number} count
 */
export function heldInvoices(sandbox, prefix, count) {
	const expires = new Date(Date.now() + 3 * 24 * 3600_000 + 3 * 3600_000) // Moscow time
		.toISOString()
		.slice(0, 19)
		.replace('T', ' ');
	return Array.from({ length: count }, (_, i) => {
		const invoice = sandbox.addInvoice({
			orderId: `${prefix}-${String(i + 1).padStart(4, '0')}`,
			amount: `${100 + (i % 900)}.00`,
			state: 'Created',
			holdMode: true,
			holdTime: 72,
			expireDate: expires,
			serviceName: `Заказ ${i + 1}`,
			email: `buyer${i + 1}@example.com`,
		});
		return sandbox.payInvoice(invoice.invoiceId);
	});
}

/**
 * @typedef {object} PhasePlan
 * @property {number} simultaneousEvery  every n-th invoice is delivered to both processes at once
 * @property {number} laterEvery  every n-th gets an exact repeat a few seconds later
 * @property {number} paymentIdEvery  every n-th gets a repeat with `paymentId` changed
 * @property {number} forgedEvery  after every n-th invoice, a forged notification
 * (0: none of that kind)
 */

/** Whether invoice `i` is one of every `every` (at offset `offset`). @param {number} i @param {number} every @param {number} offset */
const oneOf = (i, every, offset) => every > 0 && i % every === offset;

/**
 * Sends a phase's notifications, `concurrency` invoices at a time; calls `halfway` (without waiting
 * for it) once half of the invoices have started.
 * @param {{ sandbox: Sandbox, urls: Record<Target, string>, invoices: Invoice[], decoys: Invoice[],
 *   plan: PhasePlan, concurrency: number, halfway?: () => Promise<unknown> }} phase
 * @returns {Promise<{ sent: Sent[], startedAt: number, lastFirstDeliveryAt: number, halfway?: unknown }>}
 */
export async function sendPhase(phase) {
	const { sandbox, urls, invoices, decoys, plan } = phase;
	/** @type {Sent[]} */
	const sent = [];
	/** @type {Promise<void>[]} */
	const later = [];
	const startedAt = Date.now();
	let lastFirstDeliveryAt = startedAt;
	/** @type {Promise<unknown> | undefined} */
	let halfwayDone;

	/**
	 * @param {Kind} kind @param {Target} target @param {Record<string, string>} fields
	 * @param {number} startedAt @param {Pick<Sent, 'status' | 'body' | 'ok' | 'attempts' | 'forge'>} answer
	 */
	const note = (kind, target, fields, startedAt, answer) =>
		sent.push({ kind, orderId: fields.orderId, target, startedAt, endedAt: Date.now(), ...answer });

	/**
	 * Delivers with the sandbox's retries; resolves once the first attempt has been answered (or has
	 * timed out): IntellectMoney's retries come later and take no sender from the next invoices.
	 * @param {Kind} kind @param {Target} target @param {Record<string, string>} fields
	 */
	const deliver = async (kind, target, fields) => {
		const started = Date.now();
		const url = urls[target];
		const done = sandbox.deliverNotification(url, fields).then((entry) => record(entry));
		later.push(done);
		const firstAttempt = sandbox.waitForNotification(
			(n) =>
				n.source === 'delivery' &&
				n.attempt === 1 &&
				n.url === url &&
				n.fields.orderId === fields.orderId,
			10 * 60_000,
		);
		await Promise.race([done, firstAttempt.catch(() => undefined)]);
		/** @param {import('../../dev/sandbox/index.mjs').NotificationEntry | undefined} entry */
		function record(entry) {
			note(kind, target, fields, started, {
				status: entry?.status ?? null,
				body: entry?.responseBody ?? '',
				ok: entry?.ok ?? false,
				attempts: entry?.attempt ?? 0,
			});
		}
	};
	/**
	 * @param {Kind} kind @param {Target} target @param {Record<string, string>} fields
	 * @param {string} [forge]  how it is forged: a sandbox forge, or 'tampered' (sent as given)
	 */
	const sendOnce = async (kind, target, fields, forge) => {
		const started = Date.now();
		const sandboxForge = forge === 'tampered' ? undefined : forge;
		/** @type {{ status: number | null, body: string }} */
		let answer;
		try {
			answer = await sandbox.sendNotification(
				urls[target],
				fields,
				sandboxForge
					? {
							forge: /** @type {import('../../dev/sandbox/index.mjs').NotificationForge} */ (
								sandboxForge
							),
						}
					: {},
			);
		} catch (error) {
			answer = { status: null, body: String(error) };
		}
		note(kind, target, fields, started, {
			status: answer.status,
			body: answer.body,
			ok: answer.status === 200 && answer.body === 'OK',
			attempts: 1,
			...(forge ? { forge } : {}),
		});
	};

	/** @param {number} i */
	const oneInvoice = async (i) => {
		const invoice = invoices[i];
		/** @type {Target} */
		const target = i % 2 === 0 ? 'main' : 'webhook';
		/** @type {Target} */
		const other = target === 'main' ? 'webhook' : 'main';
		const fields = sandbox.notificationFor(invoice.invoiceId);
		if (oneOf(i, plan.simultaneousEvery, 1)) {
			await Promise.all([
				deliver('original', target, fields),
				deliver('simultaneous', other, fields),
			]);
		} else {
			await deliver('original', target, fields);
		}
		lastFirstDeliveryAt = Math.max(lastFirstDeliveryAt, Date.now());
		if (oneOf(i, plan.laterEvery, 2)) {
			later.push(delay(LATER_REPEAT_MS).then(() => deliver('later', other, fields)));
		}
		if (oneOf(i, plan.paymentIdEvery, 3) && decoys.length > 0) {
			const decoy = decoys[i % decoys.length];
			const changed = { ...fields, paymentId: decoy.invoiceId };
			later.push(delay(LATER_REPEAT_MS).then(() => sendOnce('paymentIdChanged', target, changed)));
		}
		if (oneOf(i, plan.forgedEvery, 4)) await sendForged(i, target);
	};

	const FORGES = /** @type {const} */ (['hash', 'otherShop', 'missingField', 'tampered']);
	/** @param {number} i @param {Target} target */
	const sendForged = async (i, target) => {
		const forge = FORGES[Math.floor(i / plan.forgedEvery) % FORGES.length];
		if (forge === 'tampered') {
			// A genuine notification with its amount changed under its original hash.
			const genuine = sandbox.notificationFor(invoices[i].invoiceId);
			return sendOnce('forged', target, { ...genuine, recipientAmount: '1.00' }, forge);
		}
		const decoy = sandbox.notificationFor(decoys[i % decoys.length].invoiceId);
		return sendOnce('forged', target, decoy, forge);
	};

	let next = 0;
	const worker = async () => {
		while (next < invoices.length) {
			const i = next++;
			if (phase.halfway && !halfwayDone && i >= invoices.length / 2) halfwayDone = phase.halfway();
			await oneInvoice(i);
		}
	};
	await Promise.all(Array.from({ length: phase.concurrency }, worker));
	await Promise.all(later);
	return { sent, startedAt, lastFirstDeliveryAt, halfway: await halfwayDone };
}

/** Counts by kind. @param {Sent[]} sent */
export function countByKind(sent) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const s of sent) counts[s.kind] = (counts[s.kind] ?? 0) + 1;
	return counts;
}
