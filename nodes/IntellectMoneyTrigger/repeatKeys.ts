/**
 * The keys by which a repeated notification is recognised, and the bounds of what is remembered
 * (repeatGuard.ts keeps them in n8n's deduplication store and in this process's memory).
 *
 * IntellectMoney repeats a notification until it is answered `OK`; how often and for how long is not
 * published (dev/info/notification says only that it expects `OK`). A notification is a repeat when
 * either of its keys was seen before:
 * - the event key (eshopId, orderId, paymentStatus, paymentId): the same event for the same invoice;
 * - the hash key: `paymentId` is NOT covered by IntellectMoney's hash, so a replay with only
 *   `paymentId` changed still verifies; its hash, though, is the same.
 * A repeat adds nothing, so replays cannot push the genuine record out. Only digests are stored (no
 * order numbers, no hashes), bounded by count (and by age in process memory). Pure, never throws.
 */
import { createHash } from 'crypto';

import { FUTURE_ALLOWANCE_MS } from './freshness';

export const DEFAULT_REMEMBER_DAYS = 30;
export const MIN_REMEMBER_DAYS = 7;
export const MAX_REMEMBER_DAYS = 90;
export const DEFAULT_REMEMBERED_NOTIFICATIONS = 10_000;
export const MIN_REMEMBERED_NOTIFICATIONS = 100;
export const MAX_REMEMBERED_NOTIFICATIONS = 50_000;

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RepeatLimits {
	/** Notifications whose paymentData is older than this are not passed on as new (freshness.ts). */
	windowMs: number;
	/** Notifications remembered at most; the oldest go first. */
	maxNotifications: number;
}

export const DEFAULT_LIMITS: RepeatLimits = {
	windowMs: DEFAULT_REMEMBER_DAYS * DAY_MS,
	maxNotifications: DEFAULT_REMEMBERED_NOTIFICATIONS,
};

/**
 * How long a record is kept after the notification first arrived: the window plus the future
 * allowance, so that a replay arriving after its record is gone is always older than the window.
 */
export function retentionMs(limits: RepeatLimits): number {
	return limits.windowMs + FUTURE_ALLOWANCE_MS;
}

/** One remembered notification: its keys and when it first arrived (epoch ms, whole seconds). */
export interface RememberedNotification {
	keys: readonly string[];
	seenAt: number;
}

/** 64 bits of SHA-256: a false repeat among 50,000 records has odds below 1 in 10^14. */
const KEY_LENGTH = 16;

function digest(parts: readonly string[]): string {
	// NUL cannot occur in a form value's meaning here, so the parts cannot run into each other.
	return createHash('sha256')
		.update(parts.join('\u0000'), 'utf8')
		.digest('hex')
		.slice(0, KEY_LENGTH);
}

/** The two keys of one verified notification: [event key, hash key]. */
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

/** Records within the limits at `now`: none older than the retention, the newest few, oldest first. */
export function withinLimits(
	records: readonly RememberedNotification[],
	now: number,
	limits: RepeatLimits,
): RememberedNotification[] {
	const oldest = now - retentionMs(limits);
	const kept = records.filter((record) => record.seenAt >= oldest);
	kept.sort((a, b) => a.seenAt - b.seenAt);
	return kept.length > limits.maxNotifications
		? kept.slice(kept.length - limits.maxNotifications)
		: kept;
}
