/**
 * Reading the shared options (descriptions.ts shows them): the request Timeout, a number of seconds,
 * Parallel Requests. Pure functions; a value out of range is an ItemError saying what to set.
 */
import type { RequestSettings } from '../../../../shared/transport/request';
import { ItemError } from '../../errors';

export const MAX_PARALLEL_REQUESTS = 50;

/** The options every operation has, as n8n hands them over. */
export interface CommonOptions {
	includeRaw?: boolean;
	timeoutSeconds?: unknown;
}

/**
 * The request settings from an operation's options; a timeout outside 1–300 s is refused. Without the
 * option the transport waits its default, the option's own 30 s.
 */
export function requestSettings(options: CommonOptions): RequestSettings {
	const seconds = options.timeoutSeconds;
	if (seconds === undefined || seconds === null || seconds === '') return {};
	const timeoutMs = secondsToMs(seconds, {
		name: 'Timeout (Seconds)',
		max: 300,
		fix: 'Set Options → Timeout (Seconds) to how long to wait for IntellectMoney, e.g. 30.',
	});
	return { timeoutMs };
}

/** A number of seconds from an option, as milliseconds; outside 1–`max` it is refused with `fix`. */
export function secondsToMs(
	seconds: unknown,
	option: { name: string; max: number; fix: string },
): number {
	if (
		typeof seconds !== 'number' ||
		!Number.isFinite(seconds) ||
		seconds < 1 ||
		seconds > option.max
	) {
		throw new ItemError(`${option.name} must be a number from 1 to ${option.max}`, option.fix);
	}
	return seconds * 1000;
}

/**
 * The execution's Parallel Requests (item 0's option); outside 1–50, or not a whole number, it is
 * refused before anything is sent.
 */
export function parallelRequests(value: unknown): number {
	if (value === undefined || value === null || value === '') return 1;
	const count = typeof value === 'string' ? Number(value) : value;
	if (
		typeof count !== 'number' ||
		!Number.isInteger(count) ||
		count < 1 ||
		count > MAX_PARALLEL_REQUESTS
	) {
		throw new ItemError(
			`Parallel Requests must be a whole number from 1 to ${MAX_PARALLEL_REQUESTS}`,
			`Set Options → Parallel Requests to how many items to send at once, e.g. 5; ${String(value)} was given.`,
		);
	}
	return count;
}
