/**
 * Whether a failed or odd read shows that the endpoint itself is not what the package infers
 * (shared/inferences/table.ts), as opposed to an ordinary refusal or a network failure: IntellectMoney
 * says the method or a field does not exist, the path answers HTTP 404, or the answer is
 * IntellectMoney's envelope with a Result of a shape the package does not know. Pure; the shape it
 * returns holds field names and types only (shape.ts), never a value.
 */
import { NodeApiError } from 'n8n-workflow';

import type { ImEnvelope } from '../api';
import { ENDPOINTS } from '../signature';
import type { IntellectMoneyEndpoint } from '../signature';
import { asTransportFailure } from '../transport/answer';
import { errorSourceParam, isRefusal } from '../transport/refusal';
import { codeText, describeShape } from './shape';

export type WrongEndpointKind = 'no-such-method' | 'no-such-field' | 'http-404' | 'unknown-shape';

export interface WrongEndpoint {
	kind: WrongEndpointKind;
	/** What the live answer looked like: shape only, safe to show and to paste into a bug report. */
	shape: string;
}

/**
 * IntellectMoney publishes no words for "no such method" or "unknown parameter" (docs/intellectmoney-api.md
 * §4, §7 Q6): these are the usual Russian and English phrasings of an API gateway. A refusal that
 * says an operation or invoice is not found matches neither.
 */
const NOT_THERE = [
	'не\\s+найден',
	'не\\s+существует',
	'не\\s+поддерживается',
	'not\\s+found',
	'does\\s+not\\s+exist',
	'not\\s+supported',
	'unknown',
];
const UNKNOWN = ['неизвестн\\S*', 'unknown', 'unrecognized', 'no\\s+such'];

/** "<subject> … does not exist" and "unknown <subject>", for each subject word. */
function phrasings(subjects: string[], notThere: string[], unknown: string[]): RegExp[] {
	const subject = `(${subjects.join('|')})`;
	return [
		new RegExp(`${subject}\\S*\\s+(\\S+\\s+)?(${notThere.join('|')})`, 'i'),
		new RegExp(`(${unknown.join('|')})\\s+${subject}`, 'i'),
	];
}

const NO_SUCH_METHOD = phrasings(['метод', 'method', 'action', 'endpoint'], NOT_THERE, [
	...UNKNOWN,
	'invalid',
]);
const NO_SUCH_FIELD = phrasings(
	['параметр', 'поле', 'field', 'parameter', 'property'],
	[...NOT_THERE, 'не\\s+ожидается', 'not\\s+allowed'],
	[...UNKNOWN, 'лишн\\S*', 'unexpected'],
);

/** Whether a Result is one the package can read, per endpoint (a success answer only). */
const READABLE: Partial<
	Record<IntellectMoneyEndpoint, (result: Record<string, unknown>) => boolean>
> = {
	[ENDPOINTS.userSession]: (result) =>
		typeof result.UserToken === 'string' && result.UserToken !== '',
	[ENDPOINTS.payoutState]: (result) =>
		typeof result.PayoutOperationState === 'string' && result.PayoutOperationState !== '',
	[ENDPOINTS.invoiceHistory]: (result) => Array.isArray(result.InvoicesHistoryList),
	[ENDPOINTS.accountData]: (result) => readableBalance(result.Balance),
};

const DECIMAL = /^-?\d+(?:[.,]\d+)?$/;

/** AccountInfoData.Balance as the package reads it (docs/intellectmoney-api.md §4.1): an amount or { Amount }. */
export function readableBalance(balance: unknown): boolean {
	const amount =
		balance !== null && typeof balance === 'object' && !Array.isArray(balance)
			? (balance as { Amount?: unknown }).Amount
			: balance;
	if (typeof amount === 'number') return Number.isFinite(amount);
	return typeof amount === 'string' && DECIMAL.test(amount.trim());
}

/** An envelope's codes and named parameter, in words that carry no value. */
export function envelopeShape(envelope: ImEnvelope): string {
	const result = envelope.Result;
	const state = result?.State;
	const param = errorSourceParam(envelope);
	const parts = [
		`OperationState.Code ${codeText(envelope.OperationState?.Code)}`,
		result === null || result === undefined
			? 'no Result'
			: `Result.State.Code ${codeText(state?.Code)}`,
		param === undefined ? 'no ErrorSourceParam' : 'an ErrorSourceParam',
	];
	const rest: Record<string, unknown> = { ...envelope };
	delete rest.OperationState;
	const others = describeShape(rest);
	return `${parts.join(', ')}; the answer: ${others}`;
}

/** The words of a refusal that IntellectMoney gives, to match them (never shown). */
function refusalWords(envelope: ImEnvelope): string {
	return [envelope.OperationState?.Desc, envelope.Result?.State?.Desc]
		.filter((text): text is string => typeof text === 'string')
		.join(' ');
}

/**
 * The shape of an answer or a failure that shows `endpoint` is not what the package infers, or
 * undefined for anything else (a success it can read, an ordinary refusal, a network failure).
 */
export function endpointLooksWrong(
	endpoint: IntellectMoneyEndpoint,
	answerOrFailure: unknown,
): WrongEndpoint | undefined {
	if (answerOrFailure instanceof Error) {
		const failure = asTransportFailure(answerOrFailure);
		const httpCode = failure?.error.httpCode ?? (answerOrFailure as NodeApiError).httpCode;
		if (answerOrFailure instanceof NodeApiError && httpCode === '404') {
			return { kind: 'http-404', shape: `HTTP 404 at ${endpoint} (the path is not served)` };
		}
		return undefined;
	}
	if (answerOrFailure === null || typeof answerOrFailure !== 'object') return undefined;
	const envelope = answerOrFailure as ImEnvelope;
	if (isRefusal(envelope)) {
		const words = refusalWords(envelope);
		if (NO_SUCH_METHOD.some((pattern) => pattern.test(words))) {
			return {
				kind: 'no-such-method',
				shape: `a refusal saying the method does not exist (${envelopeShape(envelope)})`,
			};
		}
		if (NO_SUCH_FIELD.some((pattern) => pattern.test(words))) {
			return {
				kind: 'no-such-field',
				shape: `a refusal saying a field does not exist (${envelopeShape(envelope)})`,
			};
		}
		return undefined;
	}
	const readable = READABLE[endpoint];
	const result = envelope.Result;
	// OperationState.Code 1 (queued) has no Result yet: nothing to judge.
	if (readable === undefined || envelope.OperationState?.Code === 1) return undefined;
	if (result === null || result === undefined || typeof result !== 'object') {
		return {
			kind: 'unknown-shape',
			shape: `a success without a Result (${envelopeShape(envelope)})`,
		};
	}
	if (readable(result as Record<string, unknown>)) return undefined;
	return { kind: 'unknown-shape', shape: `a success whose Result is ${describeShape(result)}` };
}
