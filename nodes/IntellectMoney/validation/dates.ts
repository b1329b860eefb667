/**
 * Hold Time, Expire Date and the date filters, as IntellectMoney wants them. Pure functions; a
 * failure is an ItemError naming the field and the fix.
 */
import { calendarInstant, imDate, MOSCOW_OFFSET_MS } from '../../../shared/moscowTime';
import { ItemError } from '../errors';

/**
 * A date as n8n hands it over: ISO 8601 with or without the time, with `T` or a space, optionally a
 * fraction of a second and a zone (`Z`, `+03:00`, `+0300`).
 */
const DATE_INPUT =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

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
	return imDate(instant);
}

/**
 * A date input (n8n's date picker, or an expression such as `{{ $now.minus({ hours: 120 }) }}`) as
 * an instant to the second: a value with a zone is that instant; a value without one is Moscow time,
 * the zone of every date IntellectMoney writes and of this node's output. undefined = left empty.
 */
export function readDateInput(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (value instanceof Date && Number.isFinite(value.getTime())) {
		return Math.floor(value.getTime() / 1000) * 1000;
	}
	const text = typeof value === 'string' ? value.trim() : '';
	const match = DATE_INPUT.exec(text);
	const [, year, month, day, hour, minute, second, zone] = match ?? [];
	const wallClock = match
		? calendarInstant([year, month, day, hour ?? 0, minute ?? 0, second ?? 0].map(Number))
		: undefined;
	if (wallClock === undefined) {
		fail(
			`${field} ${typeof value === 'string' ? `"${text}" ` : ''}is not a date`,
			`Set ${field} to a date such as 2026-11-20T10:15:00+03:00, or leave it empty. A date without a zone is read as Moscow time.`,
		);
	}
	return wallClock - zoneOffsetMs(zone);
}

/** The offset of `Z` / `+03:00` / `-0500`; none = Moscow. */
function zoneOffsetMs(zone: string | undefined): number {
	if (zone === undefined) return MOSCOW_OFFSET_MS;
	if (zone.toUpperCase() === 'Z') return 0;
	const sign = zone.startsWith('-') ? -1 : 1;
	const digits = zone.slice(1).replace(':', '');
	return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60 * 1000;
}

/** A From/To pair: refused when From is after To. */
export function validateDateRange(
	from: { field: string; at: number | undefined },
	to: { field: string; at: number | undefined },
): void {
	if (from.at !== undefined && to.at !== undefined && from.at > to.at) {
		fail(
			`${from.field} is after ${to.field}`,
			`Swap the two dates: ${from.field} is the start of the range and ${to.field} its end (both included).`,
		);
	}
}
