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
 * Whether any of `keys` was remembered (within the age limit), and remembers them now. The stored list
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
	const remembered = new Map<string, number>();
	if (Array.isArray(stored)) {
		for (const entry of stored as unknown[]) {
			if (!Array.isArray(entry)) continue;
			const [key, seenAt] = entry as unknown[];
			if (typeof key === 'string' && typeof seenAt === 'number' && seenAt >= oldest)
				remembered.set(key, seenAt);
		}
	}
	const seenBefore = keys.some((key) => remembered.has(key));

	for (const key of keys) if (!remembered.has(key)) remembered.set(key, now);
	let entries = [...remembered];
	const limit = REMEMBERED_NOTIFICATIONS * keys.length;
	if (entries.length > limit) entries = entries.sort((a, b) => b[1] - a[1]).slice(0, limit);
	// [digest, first seen (ms)] pairs: compact in the workflow's JSON, quick to read back.
	staticData[STATIC_DATA_KEY] = entries as unknown as IDataObject[];
	return seenBefore;
}
