/**
 * The records by which a repeated notification is recognised, and their place in the workflow's
 * static data (`getWorkflowStaticData('node')`, where n8n keeps trigger state).
 *
 * IntellectMoney repeats a notification until it is answered `OK`; how often and for how long is not
 * published (dev/info/notification says only that it expects `OK`). A notification is a repeat when
 * either of its keys was seen before:
 * - the event key (eshopId, orderId, paymentStatus, paymentId): the same event for the same invoice;
 * - the hash key: `paymentId` is NOT covered by IntellectMoney's hash, so a replay with only
 *   `paymentId` changed still verifies; its hash, though, is the same.
 * A repeat adds nothing, so replays cannot push the genuine record out. Only digests are stored (no
 * order numbers, no hashes), bounded by count and age. Pure, never throws.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

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

const STATIC_DATA_KEY = 'rememberedNotifications';

/** The item field that carries a new notification's record from `webhook()` to `execute()`. */
export const REPEAT_RECORD_FIELD = '__intellectMoneyRepeatRecord';
/** 64 bits of SHA-256: a false repeat among 50,000 records has odds below 1 in 10^14. */
const KEY_LENGTH = 16;
const KEY = /^[0-9a-f]{16}$/;

function digest(parts: readonly string[]): string {
	// NUL cannot occur in a form value's meaning here, so the parts cannot run into each other.
	return createHash('sha256')
		.update(parts.join('\u0000'), 'utf8')
		.digest('hex')
		.slice(0, KEY_LENGTH);
}

/** The two keys of one verified notification. */
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

/** A record as stored: its keys and the arrival second (base 36), joined by dots. */
export function serializeRecord(record: RememberedNotification): string {
	return [...record.keys, Math.floor(record.seenAt / 1000).toString(36)].join('.');
}

/**
 * A stored record, or undefined for anything else. Also reads the first format of this package
 * (`[32-hex digest, ms]`, one key each; its digests start with the same 16 characters).
 */
export function parseRecord(entry: unknown): RememberedNotification | undefined {
	if (typeof entry === 'string') {
		const parts = entry.split('.');
		const seconds = parseInt(parts.pop() ?? '', 36);
		if (parts.length < 1 || parts.length > 2 || !parts.every((key) => KEY.test(key))) return;
		if (!Number.isSafeInteger(seconds) || seconds < 0) return;
		return { keys: parts, seenAt: seconds * 1000 };
	}
	if (Array.isArray(entry) && entry.length === 2) {
		const [key, seenAt] = entry as unknown[];
		if (typeof key !== 'string' || !/^[0-9a-f]{32}$/.test(key)) return;
		if (typeof seenAt !== 'number' || !Number.isFinite(seenAt)) return;
		return { keys: [key.slice(0, KEY_LENGTH)], seenAt };
	}
	return undefined;
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

/** The records in the workflow's static data (a damaged store reads as empty). */
export function readRemembered(
	staticData: IDataObject,
	now: number,
	limits: RepeatLimits,
): RememberedNotification[] {
	const stored = staticData[STATIC_DATA_KEY];
	if (!Array.isArray(stored)) return [];
	const records: RememberedNotification[] = [];
	for (const entry of stored as unknown[]) {
		const record = parseRecord(entry);
		if (record) records.push(record);
	}
	return withinLimits(records, now, limits);
}

/**
 * Replaces the stored list as a whole, so n8n sees the change (static data is observed at its top
 * level only).
 */
export function writeRemembered(
	staticData: IDataObject,
	records: readonly RememberedNotification[],
): void {
	staticData[STATIC_DATA_KEY] = records.map(serializeRecord) as unknown as IDataObject[];
}

/** Whether any of `keys` is in `records`. */
export function isKnown(records: readonly RememberedNotification[], keys: readonly string[]) {
	return records.some((record) => record.keys.some((key) => keys.includes(key)));
}

/**
 * `records` with the ones of `more` that are not known yet, within the limits; `added` says whether
 * anything new came in (so nothing is written when nothing changed).
 */
export function mergeRecords(
	records: readonly RememberedNotification[],
	more: readonly RememberedNotification[],
	now: number,
	limits: RepeatLimits,
): { records: RememberedNotification[]; added: boolean } {
	const known = new Set(records.flatMap((record) => record.keys));
	const merged = [...records];
	let added = false;
	for (const record of more) {
		if (record.keys.some((key) => known.has(key))) continue;
		for (const key of record.keys) known.add(key);
		merged.push(record);
		added = true;
	}
	return { records: withinLimits(merged, now, limits), added };
}
