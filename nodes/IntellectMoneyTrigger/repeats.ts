/**
 * Remembers verified notifications so a repeat is recognised.
 *
 * IntellectMoney repeats a notification until it is answered `OK`; how often and for how long is not
 * published (reference §5 "Retries: not documented", §7 Q6). A repeat must never start a second
 * capture, so the trigger remembers each verified notification in the workflow's static data
 * (`getWorkflowStaticData('node')`, the one place n8n keeps trigger state, saved with the workflow).
 *
 * A notification is a repeat when either key was seen before:
 * - (eshopId, orderId, paymentStatus, paymentId): the same event for the same invoice;
 * - the received hash: `paymentId` is NOT covered by IntellectMoney's hash (§5 formula), so a replayed
 *   notification with only `paymentId` changed still verifies; its hash, though, is the same.
 * Only digests are stored (no order numbers, no hashes), bounded by count and age.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** Notifications remembered at most (two keys each). */
export const REMEMBERED_NOTIFICATIONS = 1000;

/** Days a notification is remembered. */
export const REMEMBER_DAYS = 30;

const STATIC_DATA_KEY = 'rememberedNotifications';
const DAY_MS = 24 * 60 * 60 * 1000;

function digest(parts: readonly string[]): string {
	// NUL cannot occur in a form value's meaning here, so the parts cannot run into each other.
	return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex').slice(0, 32);
}

/** The keys of one verified notification. */
export function notificationKeys(fields: {
	eshopId: string;
	orderId: string;
	paymentStatus: string;
	paymentId: string;
	hash: string;
}): string[] {
	return [
		digest(['event', fields.eshopId, fields.orderId, fields.paymentStatus, fields.paymentId]),
		digest(['hash', fields.hash.toLowerCase()]),
	];
}

/**
 * Whether any of `keys` was remembered (within the age limit), and remembers them now. The stored map
 * is replaced as a whole, so n8n sees the change and saves it (its static data is observed at the top
 * level only).
 */
export function rememberNotification(
	staticData: IDataObject,
	keys: readonly string[],
	now: number,
): boolean {
	const stored = staticData[STATIC_DATA_KEY];
	const oldest = now - REMEMBER_DAYS * DAY_MS;
	const kept: Array<[string, number]> = [];
	if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) {
		for (const [key, seenAt] of Object.entries(stored as Record<string, unknown>)) {
			if (typeof seenAt === 'number' && seenAt >= oldest && seenAt <= now + DAY_MS)
				kept.push([key, seenAt]);
		}
	}
	const remembered = new Map(kept);
	const seenBefore = keys.some((key) => remembered.has(key));

	for (const key of keys) if (!remembered.has(key)) remembered.set(key, now);
	const newestFirst = [...remembered].sort((a, b) => b[1] - a[1]);
	staticData[STATIC_DATA_KEY] = Object.fromEntries(
		newestFirst.slice(0, REMEMBERED_NOTIFICATIONS * keys.length),
	);
	return seenBefore;
}
