/**
 * A request's own secret values, hidden from IntellectMoney's answer before anything reads it. Its
 * refusals are shown word for word (refusal.ts), so an answer that echoes the request would put the
 * Password of getUserToken, the UserToken or the Bearer token into the stored error, or, with Include
 * Raw Response, into an output item. Each value is replaced by its name in angle brackets (`<Password>`),
 * in the forms an echo may take: as sent, URL-encoded (the body is a form) and JSON-escaped. The rest of
 * IntellectMoney's words stay as they are. Pure functions, no I/O.
 */

/** A secret value and the name shown in its place. */
export interface SecretValue {
	name: string;
	value: string;
}

/** Shorter values are hidden only where they stand alone: inside a longer word they may be anything. */
const SHORTEST_HIDDEN_ANYWHERE = 4;

/** The forms a value may be echoed in, longest first. */
function formsOf(value: string): string[] {
	const forms = [
		value,
		encodeURIComponent(value),
		new URLSearchParams({ v: value }).toString().slice(2),
		JSON.stringify(value).slice(1, -1),
	];
	return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One pattern per secret value, longest values first, so a value inside another is not cut apart. */
export interface Redactor {
	/** Whether `text` holds any secret value, in any form. */
	holdsSecret(text: string): boolean;
	/** `text` with every secret value replaced by its name. */
	redact(text: string): string;
}

export function redactorFor(secrets: readonly SecretValue[]): Redactor {
	const usable = secrets
		.filter((secret) => typeof secret.value === 'string' && secret.value !== '')
		.sort((a, b) => b.value.length - a.value.length);
	const patterns = usable.map((secret) => {
		const alternatives = formsOf(secret.value).map(escapeRegExp).join('|');
		const source =
			secret.value.length >= SHORTEST_HIDDEN_ANYWHERE
				? `(?:${alternatives})`
				: `(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`;
		return { pattern: new RegExp(source, 'gu'), shown: `<${secret.name}>` };
	});
	return {
		holdsSecret: (text) =>
			patterns.some(({ pattern }) => {
				pattern.lastIndex = 0;
				return pattern.test(text);
			}),
		redact: (text) =>
			patterns.reduce((result, { pattern, shown }) => result.replace(pattern, shown), text),
	};
}

/**
 * A copy of `value` (an answer: objects, arrays, strings, numbers) with every string redacted, or
 * `value` itself when nothing in it holds a secret.
 */
export function redactAnswer<T>(value: T, redactor: Redactor): T {
	if (!redactor.holdsSecret(JSON.stringify(value) ?? '')) return value;
	return redactDeep(value, redactor) as T;
}

function redactDeep(value: unknown, redactor: Redactor): unknown {
	if (typeof value === 'string') return redactor.redact(value);
	if (Array.isArray(value)) return value.map((entry) => redactDeep(entry, redactor));
	if (value === null || typeof value !== 'object') return value;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) copy[key] = redactDeep(entry, redactor);
	return copy;
}
