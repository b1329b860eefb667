/**
 * The one way this node talks to IntellectMoney. Every request goes through
 * `httpRequestWithAuthentication`, so n8n's proxy, SSRF, timeout and cancel handling apply, and the
 * credential's `authenticate` signs it; this file never sees a key.
 */
import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';

import type {
	ImEnvelope,
	ImResultBase,
	ImState,
	OperationOutput,
	StateOutput,
} from '../interfaces';
import { describeRecipe, maskedSignatureString, SIGNED_FIELDS } from './signature';
import type { IntellectMoneyEndpoint } from './signature';

export const CREDENTIAL_TYPE = 'intellectMoneyApi';

/**
 * A request that got no usable answer: nothing reached IntellectMoney, or its answer was lost, cut or
 * not JSON. `mayHaveApplied` says whether IntellectMoney may still have carried it out: false only when
 * the request certainly never got processed (connection refused, HTTP 429, HTTP 4xx). Kept in the
 * error's context, so the error stays a plain NodeApiError for n8n.
 */
function transportFailure(
	node: INode,
	mayHaveApplied: boolean,
	message: string,
	options: { description: string; itemIndex: number; httpCode?: string; retryAfterMs?: number },
): NodeApiError {
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description: options.description,
		httpCode: options.httpCode,
		itemIndex: options.itemIndex,
		failure:
			options.httpCode === '429'
				? { cause: 'rate-limited', retryAfterMs: options.retryAfterMs }
				: { cause: 'temporarily-unavailable' },
	});
	const status = Number(options.httpCode ?? 0);
	// A plain 4xx refusal (not 408/429) will answer the same way again.
	const retryable = !(status >= 400 && status < 500 && status !== 408 && status !== 429);
	error.context.transportFailure = {
		mayHaveApplied,
		retryable,
		retryAfterMs: options.retryAfterMs ?? 0,
	};
	return error;
}

export interface TransportFailure {
	error: NodeApiError;
	mayHaveApplied: boolean;
	/** Whether asking again can get another answer (false for a plain HTTP 4xx). */
	retryable: boolean;
	retryAfterMs: number;
}

/** The transport failure an error stands for, or undefined for any other error. */
export function asTransportFailure(error: unknown): TransportFailure | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const marker = error.context.transportFailure as Omit<TransportFailure, 'error'> | undefined;
	return marker ? { error, ...marker } : undefined;
}

export interface RequestSettings {
	/** Milliseconds to wait for IntellectMoney's answer (n8n's default applies when absent). */
	timeoutMs?: number;
}

/** Connection errors that prove the request never left (so it cannot have been carried out). */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
const TIMEOUT_CODES = ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'];

/**
 * Sends one signed POST and returns IntellectMoney's envelope; transport failures are marked
 * (asTransportFailure). Also called by the IntellectMoney Trigger's webhook (Confirm Invoice ID).
 */
export async function intellectMoneyApiRequest<TResult extends ImResultBase>(
	this: IExecuteFunctions | IWebhookFunctions,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string>,
	itemIndex: number,
	settings: RequestSettings = {},
): Promise<ImEnvelope<TResult>> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: endpoint,
		// IntellectMoney answers XML unless asked for JSON (reference §0, wiki/6914229).
		headers: { Accept: 'application/json' },
		body,
		returnFullResponse: true,
		// HTTP statuses are mapped below, with IntellectMoney's own words where there are any.
		ignoreHttpStatusErrors: true,
		...(settings.timeoutMs ? { timeout: settings.timeoutMs } : {}),
	};
	const afterThat = `Request ${endpoint}.`;

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		// A fresh error object: the original may carry the request (headers, body) with it.
		const code = errorCode(error);
		const text = errorText(error);
		if (code !== undefined && NOT_SENT_CODES.includes(code)) {
			throw transportFailure(this.getNode(), false, `Could not reach IntellectMoney: ${text}`, {
				description: `${afterThat} The connection was not made (${code}), so nothing was sent. Check the Base URL and the network, then run it again.`,
				itemIndex,
			});
		}
		const timedOut = (code !== undefined && TIMEOUT_CODES.includes(code)) || /timeout/i.test(text);
		throw transportFailure(
			this.getNode(),
			true,
			timedOut
				? `IntellectMoney did not answer in time${settings.timeoutMs ? ` (${Math.round(settings.timeoutMs / 1000)} s)` : ''}`
				: `The connection to IntellectMoney broke before an answer came: ${text}`,
			{ description: `${afterThat} It may have been carried out.`, itemIndex },
		);
	}

	const status = response.statusCode;
	if (status !== 200) {
		const retryAfterMs = retryAfter(response.headers?.['retry-after']);
		// 429 and other 4xx are refusals before processing; 408 and 5xx may come from a gateway after
		// IntellectMoney processed the request.
		const mayHaveApplied = status === 408 || status >= 500;
		throw transportFailure(
			this.getNode(),
			mayHaveApplied,
			`IntellectMoney answered HTTP ${status}`,
			{
				description: `${afterThat} ${mayHaveApplied ? 'It may have been carried out.' : 'It was not carried out.'} Body starts with: ${bodyPreview(response.body)}`,
				httpCode: String(status),
				itemIndex,
				retryAfterMs,
			},
		);
	}
	const envelope = parseEnvelope<TResult>(response.body);
	if (envelope === undefined) {
		const contentType = String(response.headers?.['content-type'] ?? 'no content type');
		throw transportFailure(
			this.getNode(),
			true,
			`IntellectMoney's answer is not JSON (${contentType.split(';')[0]})`,
			{
				description: `${afterThat} The answer was cut off, or came from something else than the IntellectMoney API (a proxy page?), so it may have been carried out. Body starts with: ${bodyPreview(response.body)}`,
				httpCode: String(status),
				itemIndex,
			},
		);
	}
	return envelope;
}

/**
 * Runs a request that is harmless to repeat (a read), retrying transport failures up to twice with
 * backoff: 0.5 s, then 1.5 s, or longer when IntellectMoney asks (Retry-After, at most 10 s).
 */
export async function withReadRetries<T>(
	node: IExecuteFunctions,
	request: () => Promise<T>,
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await request();
		} catch (error) {
			const failure = asTransportFailure(error);
			if (!failure?.retryable || attempt >= MAX_ATTEMPTS) {
				throw new NodeApiError(node.getNode(), error as JsonObject);
			}
			await sleep(backoffMs(attempt, failure));
		}
	}
}

/**
 * Sends a request that is harmless to repeat (a read, the user token, creating a payout operation) and
 * returns IntellectMoney's answer, refusals included: transport failures are retried as withReadRetries
 * does, then thrown.
 */
export async function repeatableRequest<TResult extends ImResultBase>(
	node: IExecuteFunctions,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string>,
	itemIndex: number,
	settings: RequestSettings,
): Promise<ImEnvelope<TResult>> {
	const request: typeof intellectMoneyApiRequest<TResult> = intellectMoneyApiRequest;
	return await withReadRetries(
		node,
		async () => await request.call(node, endpoint, body, itemIndex, settings),
	);
}

/** Attempts of one request, the first included (reads; money-moving requests only after a state check). */
export const MAX_ATTEMPTS = 3;

/** Wait before attempt `attempt + 1`: 0.5 s, 1.5 s, … or what IntellectMoney asks for (at most 10 s). */
export function backoffMs(attempt: number, failure: TransportFailure): number {
	return Math.min(Math.max(500 * 3 ** (attempt - 1), failure.retryAfterMs), 10_000);
}

/** How IntellectMoney took a request that it did not refuse. */
export function readOperationOutcome(
	envelope: ImEnvelope,
	includeRaw: boolean,
): Omit<OperationOutput, 'alreadyDone' | 'testMode'> & { queued: boolean } {
	const operationState = toStateOutput(envelope.OperationState) ?? { code: 0, description: '' };
	const state = toStateOutput(envelope.Result?.State);
	return {
		// reference §4 (wiki/44433415): OperationState 1 = queued; the outcome is not known yet.
		queued: operationState.code === 1,
		state,
		operationState,
		operationId: envelope.OperationId ?? null,
		// reference §4 (wiki/160333899): Result.State.Code 1 = success with warnings.
		warning: state?.code === 1 ? state.description : null,
		...(includeRaw ? { raw: envelope as unknown as IDataObject } : {}),
	};
}

/** What a refusal is about, for the decision to renew the user token. */
export function refusedParameter(envelope: ImEnvelope): string | undefined {
	return isRefusal(envelope) ? (envelope.Result?.ErrorSourceParam ?? undefined) : undefined;
}

/**
 * Business errors come as HTTP 200 (reference §4): `OperationState.Code` 2, or `Result.State.Code`
 * other than 0 (success) and 1 (success with warnings).
 */
export function isRefusal(envelope: ImEnvelope): boolean {
	const operationCode = envelope.OperationState?.Code;
	if (operationCode === 2) return true;
	if (operationCode === 1 && !envelope.Result) return false;
	const resultCode = envelope.Result?.State?.Code;
	return resultCode === undefined
		? operationCode !== 1 && operationCode !== 0
		: resultCode !== 0 && resultCode !== 1;
}

/** Throws IntellectMoney's refusal as a `NodeApiError` with its own description and a hint. */
export function throwIfRefused(
	this: IExecuteFunctions,
	envelope: ImEnvelope,
	endpoint: IntellectMoneyEndpoint,
	itemIndex: number,
	body: Record<string, string> = {},
	note = '',
): void {
	if (!isRefusal(envelope)) return;
	const resultState = envelope.Result?.State;
	const operationState = envelope.OperationState;
	const desc = resultState?.Desc || operationState?.Desc || 'no description given';
	const param = envelope.Result?.ErrorSourceParam;
	const codes = [
		`OperationState.Code ${operationState?.Code ?? '-'}`,
		`Result.State.Code ${resultState?.Code ?? '-'}`,
		param ? `ErrorSourceParam ${param}` : undefined,
	]
		.filter(Boolean)
		.join(', ');
	const hint = refusalHint(endpoint, param, body);
	throw new NodeApiError(
		this.getNode(),
		{
			message: desc,
			operationStateCode: operationState?.Code ?? null,
			resultStateCode: resultState?.Code ?? null,
			errorSourceParam: param ?? null,
		} as JsonObject,
		{
			message: `IntellectMoney refused the request: ${desc}`,
			description: `${codes}.${hint ? ` ${hint}` : ''}${note ? ` ${note}` : ''}`,
			httpCode: '200',
			itemIndex,
		},
	);
}

/**
 * What to check for the parameter IntellectMoney names. For signature refusals: the recipe's field
 * order and the string that was signed, secrets masked, so MD5/SHA-256 and key mix-ups can be seen.
 */
function refusalHint(
	endpoint: IntellectMoneyEndpoint,
	param: string | undefined,
	body: Record<string, string>,
): string {
	const recipe = SIGNED_FIELDS[endpoint];
	switch ((param ?? '').toLowerCase()) {
		case 'authorization':
			return 'Check the Bearer Token in the IntellectMoney credential.';
		case 'sign':
			return `Check the Sign Secret Key in the credential (not the Shop Secret Key): the Sign header is SHA-256 of ${describeRecipe(recipe.sign, 'Sign Secret Key')}; signed here: ${maskedSignatureString(recipe.sign, body, 'Sign Secret Key')}.`;
		case 'hash': {
			return recipe.hash
				? `Check the Shop Secret Key in the credential (the shop's "Подключение магазина" tab; not the Sign Secret Key): the body Hash is MD5 of ${describeRecipe(recipe.hash, 'Shop Secret Key')}; hashed here: ${maskedSignatureString(recipe.hash, body, 'Shop Secret Key')}. Leave the key empty if the shop has none.`
				: 'Check the Shop Secret Key in the credential.';
		}
		case 'usertoken':
		case 'login':
		case 'password':
			return 'Check Login and Password in the IntellectMoney credential.';
		default:
			return '';
	}
}

function toStateOutput(state: ImState | undefined | null): StateOutput | null {
	if (!state || typeof state.Code !== 'number') return null;
	return { code: state.Code, description: state.Desc ?? '' };
}

function parseEnvelope<TResult extends ImResultBase>(
	body: unknown,
): ImEnvelope<TResult> | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	return value as ImEnvelope<TResult>;
}

/**
 * The start of an answer that could not be used, for the error description. A user token in it (the
 * answer to getUserToken, cut off) is masked: this text ends up in the execution log.
 */
export function bodyPreview(body: unknown): string {
	const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
	const masked = text.replace(
		/(UserToken\W{0,4})[^"'<&\s,}]*/gi,
		(_match, name: string) => `${name}<UserToken>`,
	);
	const preview = masked.replace(/\s+/g, ' ').trim().slice(0, 200);
	return preview === '' ? '(empty)' : preview;
}

function errorText(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}

/** The system error code (ECONNRESET, …) of a failed request, wherever n8n's wrapping put it. */
function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = cause;
	}
	return undefined;
}

function retryAfter(header: unknown): number | undefined {
	const seconds = Number(Array.isArray(header) ? header[0] : header);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
