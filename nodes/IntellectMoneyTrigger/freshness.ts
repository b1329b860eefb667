/**
 * Whether a notification is recent enough for the repeat memory to vouch for it.
 *
 * `paymentData` is covered by IntellectMoney's hash, so nobody can make an old notification look new.
 * The repeat memory keeps a notification for a limited time; a replay of one older than that could no
 * longer be recognised, so it is never passed on as new. A date too far in the future is refused the
 * same way: the memory is kept from the day a notification arrives, so only a date close to that day
 * can be judged. The date has no zone: IntellectMoney's clock, read as Moscow time (UTC+3, no daylight
 * saving since 2014), like every IntellectMoney date in this package (README "Purchase → Create
 * Invoice"). Pure, never throws.
 */

/** How far ahead of this machine's clock IntellectMoney's `paymentData` may be (clock skew). */
export const FUTURE_ALLOWANCE_MS = 15 * 60 * 1000;

const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/**
 * `yyyy-MM-dd HH:mm:ss`, as the notification clients read it (django-intellectmoney ResultUrlForm,
 * Al-Muhandis ParseWebhook), also with a `T` or a fraction of a second.
 */
const PAYMENT_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,7})?$/;

/** The instant (epoch ms) a `paymentData` stands for, or undefined when it is not such a date. */
export function paymentTime(paymentData: string): number | undefined {
	const match = PAYMENT_DATE.exec(typeof paymentData === 'string' ? paymentData.trim() : '');
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
	const check = new Date(asUtc);
	// Date.UTC rolls 2026-02-30 over into March: only a real calendar date counts.
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== day ||
		check.getUTCHours() !== hour ||
		check.getUTCMinutes() !== minute ||
		check.getUTCSeconds() !== second
	) {
		return undefined;
	}
	return asUtc - MOSCOW_OFFSET_MS;
}

export type Freshness =
	| { fresh: true }
	| { fresh: false; reason: 'not a date' | 'older than the window' | 'in the future' };

/** Judges `paymentData` against the remembered window, at `now` (epoch ms). */
export function judgeFreshness(paymentData: string, now: number, windowMs: number): Freshness {
	const at = paymentTime(paymentData);
	if (at === undefined) return { fresh: false, reason: 'not a date' };
	if (at < now - windowMs) return { fresh: false, reason: 'older than the window' };
	if (at > now + FUTURE_ALLOWANCE_MS) return { fresh: false, reason: 'in the future' };
	return { fresh: true };
}
