/**
 * IntellectMoney's dates. It writes them `yyyy-MM-dd HH:mm:ss` without a zone (docs/intellectmoney-api.md
 * §3); this package reads and writes them as Moscow time, UTC+3 all year (no daylight saving since
 * 2014): an inference, the same for every date it sends or reads. Towards n8n they carry their zone
 * in the value (`2026-11-20T10:15:00+03:00`), so a Moscow time is never shown bare next to UTC.
 * Pure functions, no I/O.
 */

export const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/** `yyyy-MM-dd HH:mm:ss`, also with a `T` or a fraction of a second, and no zone. */
const IM_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,7})?$/;

/** The instant (epoch ms) of a wall-clock time read as UTC, or undefined when it is no calendar date. */
export function calendarInstant(parts: number[]): number | undefined {
	const [year, month, day, hour = 0, minute = 0, second = 0] = parts;
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
	const check = new Date(asUtc);
	// Date.UTC rolls 2026-02-30 over into March: only a date that reads back the same is real.
	const same =
		check.getUTCFullYear() === year &&
		check.getUTCMonth() === month - 1 &&
		check.getUTCDate() === day &&
		check.getUTCHours() === hour &&
		check.getUTCMinutes() === minute &&
		check.getUTCSeconds() === second;
	return same ? asUtc : undefined;
}

/** The instant (epoch ms) of one of IntellectMoney's dates, or undefined when it is not one. */
export function readImDate(text: unknown): number | undefined {
	const match = IM_DATE.exec(typeof text === 'string' ? text.trim() : '');
	if (!match) return undefined;
	const asUtc = calendarInstant(match.slice(1).map(Number));
	return asUtc === undefined ? undefined : asUtc - MOSCOW_OFFSET_MS;
}

/** An instant as IntellectMoney writes dates: `yyyy-MM-dd HH:mm:ss`, Moscow time. */
export function imDate(instant: number): string {
	return new Date(instant + MOSCOW_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** An instant for n8n: ISO 8601 in Moscow time with its offset, `2026-11-20T10:15:00+03:00`. */
export function moscowIso(instant: number): string {
	return `${new Date(instant + MOSCOW_OFFSET_MS).toISOString().slice(0, 19)}+03:00`;
}

/** One of IntellectMoney's dates for n8n (moscowIso), or null when it is not one. */
export function imDateToIso(text: unknown): string | null {
	const instant = readImDate(text);
	return instant === undefined ? null : moscowIso(instant);
}
