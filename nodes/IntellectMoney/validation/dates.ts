/**
 * Hold Time and Expire Date, as IntellectMoney wants them. Pure functions; a failure is an ItemError
 * naming the field and the fix.
 */
import { ItemError } from '../errors';

/** Moscow time is UTC+3 all year (no daylight saving since 2014). */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/** Throws the item's error: what is wrong, and how to fix it. */
function fail(message: string, description: string): never {
	throw new ItemError(message, description);
}

/** Hold Time: whole hours 0–119 (official SDK `CreateInvoiceDataModel`, docs/intellectmoney-api.md §2.1). */
export function validateHoldTime(value: unknown): string {
	const hours = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 0 || hours > 119) {
		fail(
			'Hold Time must be a whole number of hours from 0 to 119',
			'IntellectMoney holds the amount for at most 119 hours. Set Hold Time, e.g. 72.',
		);
	}
	return String(hours);
}

/**
 * Expire Date as IntellectMoney writes dates, `yyyy-MM-dd HH:mm:ss` (docs/intellectmoney-api.md §2.1). It has no zone;
 * IntellectMoney's own dates are Moscow time, so the instant is written in Moscow time (inference).
 */
export function validateExpireDate(value: unknown, now: number): string {
	const text = String(value ?? '').trim();
	const instant = text === '' ? NaN : Date.parse(text);
	if (!Number.isFinite(instant)) {
		fail(
			text === '' ? 'Expire Date is empty' : `Expire Date "${text}" is not a date`,
			'Hold Mode needs an Expire Date: when the invoice stops accepting payment, e.g. 2026-12-01T18:00:00+03:00.',
		);
	}
	if (instant <= now) {
		fail(
			`Expire Date ${text} is in the past`,
			'Set an Expire Date in the future: the buyer must be able to pay before it.',
		);
	}
	return new Date(instant + MOSCOW_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
