/**
 * The one reading of the trigger's Options, with the defaults and bounds every caller uses (the UI
 * that offers them is description.ts).
 */
import type { AnswerOk } from './answerMode';
import {
	DAY_MS,
	DEFAULT_REMEMBER_DAYS,
	DEFAULT_REMEMBERED_NOTIFICATIONS,
	MAX_REMEMBER_DAYS,
	MAX_REMEMBERED_NOTIFICATIONS,
	MIN_REMEMBER_DAYS,
	MIN_REMEMBERED_NOTIFICATIONS,
} from './repeatKeys';
import type { RepeatLimits } from './repeatKeys';

/** The Events value that also passes on status codes this node does not know. */
export const ANY_STATUS = '*';

export type RepeatHandling = 'drop' | 'passOnMarked';

/** The Options as given (any of them may be absent, or an expression's odd result). */
interface RawOptions {
	repeatedNotifications?: unknown;
	rememberDays?: unknown;
	rememberedNotifications?: unknown;
	confirmInvoiceId?: unknown;
	allowedSenderIps?: unknown;
	includeRawFields?: unknown;
	answerOk?: unknown;
}

export interface TriggerOptions {
	repeatedNotifications: RepeatHandling;
	limits: RepeatLimits;
	confirmInvoiceId: boolean;
	allowedSenderIps: string;
	includeRawFields: boolean;
	answerOk: AnswerOk;
}

/** What is wrong with a numeric option, for activation to refuse it. */
export interface OptionProblem {
	option: string;
	fix: string;
}

function wholeNumber(value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	return Number.isInteger(number) ? number : NaN;
}

const clamp = (value: number, min: number, max: number, fallback: number) =>
	Number.isNaN(value) ? fallback : Math.min(Math.max(value, min), max);

/** The Options with their defaults; out-of-range numbers are brought into range (see `optionProblems`). */
export function readTriggerOptions(raw: unknown): TriggerOptions {
	const options = (typeof raw === 'object' && raw !== null ? raw : {}) as RawOptions;
	const days = wholeNumber(options.rememberDays, DEFAULT_REMEMBER_DAYS);
	const count = wholeNumber(options.rememberedNotifications, DEFAULT_REMEMBERED_NOTIFICATIONS);
	return {
		repeatedNotifications:
			options.repeatedNotifications === 'passOnMarked' ? 'passOnMarked' : 'drop',
		limits: {
			windowMs: clamp(days, MIN_REMEMBER_DAYS, MAX_REMEMBER_DAYS, DEFAULT_REMEMBER_DAYS) * DAY_MS,
			maxNotifications: clamp(
				count,
				MIN_REMEMBERED_NOTIFICATIONS,
				MAX_REMEMBERED_NOTIFICATIONS,
				DEFAULT_REMEMBERED_NOTIFICATIONS,
			),
		},
		confirmInvoiceId: options.confirmInvoiceId === true,
		allowedSenderIps: typeof options.allowedSenderIps === 'string' ? options.allowedSenderIps : '',
		includeRawFields: options.includeRawFields === true,
		answerOk: options.answerOk === 'respondToWebhook' ? 'respondToWebhook' : 'executionCreated',
	};
}

/** The numeric options that are outside their bounds, each with what to set instead. */
export function optionProblems(raw: unknown): OptionProblem[] {
	const options = (typeof raw === 'object' && raw !== null ? raw : {}) as RawOptions;
	const problems: OptionProblem[] = [];
	const days = wholeNumber(options.rememberDays, DEFAULT_REMEMBER_DAYS);
	if (!(days >= MIN_REMEMBER_DAYS && days <= MAX_REMEMBER_DAYS)) {
		problems.push({
			option: 'Remember For (Days)',
			fix:
				`a whole number of days from ${MIN_REMEMBER_DAYS} to ${MAX_REMEMBER_DAYS} (default ` +
				`${DEFAULT_REMEMBER_DAYS}); it must exceed IntellectMoney's longest hold (119 hours), or a ` +
				`"paid" notification after a late capture could be taken for an old one`,
		});
	}
	const count = wholeNumber(options.rememberedNotifications, DEFAULT_REMEMBERED_NOTIFICATIONS);
	if (!(count >= MIN_REMEMBERED_NOTIFICATIONS && count <= MAX_REMEMBERED_NOTIFICATIONS)) {
		problems.push({
			option: 'Remembered Notifications',
			fix:
				`a whole number from ${MIN_REMEMBERED_NOTIFICATIONS} to ${MAX_REMEMBERED_NOTIFICATIONS} ` +
				`(default ${DEFAULT_REMEMBERED_NOTIFICATIONS})`,
		});
	}
	return problems;
}
