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
 * A request that got no usable answer: it never left, or its answer was lost, cut, redirected or not
 * IntellectMoney's envelope. `mayHaveApplied` is false only on proof that IntellectMoney did not
 * carry it out: the request never left (no connection, DNS or TLS failure before it was written, or
 * the credential refused to sign it) or IntellectMoney answered HTTP 429. Every other answer (any
 * other status, a body that is cut or not IntellectMoney's JSON, a reset, a timeout) may have been
 * carried out. Kept in the error's context, so the error stays a plain NodeApiError for n8n.
 */
function transportFailure(
	node: INode,
	mayHaveApplied: boolean,
	message: string,
	options: {
		description: string;
		itemIndex: number;
		httpCode?: string;
		retryAfterMs?: number;
		retryable?: boolean;
	},
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
	error.context.transportFailure = {
		mayHaveApplied,
		retryable: options.retryable ?? true,
		retryAfterMs: options.retryAfterMs ?? 0,
	};
	return error;
}

export interface TransportFailure {
	error: NodeApiError;
	/** False only on proof that IntellectMoney did not carry the request out (see transportFailure). */
	mayHaveApplied: boolean;
	/** Whether asking again can get another answer (false for a redirect or a plain HTTP 4xx). */
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
	/** Milliseconds IntellectMoney has for its whole answer (DEFAULT_TIMEOUT_MS when absent). */
	timeoutMs?: number;
}

/** The Options → Timeout (Seconds) default, also when the option was never added. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Connection errors that prove the request never left: no connection was made, the name did not
 * resolve, or TLS failed during the handshake (Node writes a request only once the handshake is
 * done). EIM_NOT_SIGNED: the credential refused to sign it (credentials/IntellectMoneyApi).
 */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EIM_NOT_SIGNED',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Fixed words for the failures the node names; nothing of the error's own text is shown. */
const FAILURE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name did not resolve',
	EAI_AGAIN: 'the host name did not resolve',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was closed while sending',
	ERR_CANCELED: 'the request was cancelled',
};

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
	const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: endpoint,
		// IntellectMoney answers XML unless asked for JSON (wiki/6914229).
		headers: { Accept: 'application/json' },
		body,
		returnFullResponse: true,
		// HTTP statuses are mapped below, with IntellectMoney's own words where there are any.
		ignoreHttpStatusErrors: true,
		// A redirect would carry the signed headers and body to the host it names; the credential's
		// authenticate turns redirects off again for every request it signs.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		// The credential makes this bound the whole answer (withDeadline), not the gap between bytes.
		timeout: timeoutMs,
	};
	const afterThat = `Request ${endpoint}.`;
	const maybe = 'It may have been carried out.';
	const started = Date.now();

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		// A fresh error object, with words of its own: the original may carry the request (headers,
		// body) or a foreign server's text.
		const code = errorCode(error);
		if (code === 'EIM_NOT_SIGNED') {
			throw transportFailure(this.getNode(), false, ownMessage(error, code), {
				description: `${afterThat} Nothing was sent. Open the IntellectMoney credential and fix it.`,
				itemIndex,
				retryable: false,
			});
		}
		if (code !== undefined && NOT_SENT_CODES.has(code)) {
			throw transportFailure(
				this.getNode(),
				false,
				`Could not reach IntellectMoney: ${FAILURE_WORDS[code] ?? `the connection failed (${code})`}`,
				{
					description: `${afterThat} The connection was not made (${code}), so nothing was sent. Check the Base URL and the network, then run it again.`,
					itemIndex,
				},
			);
		}
		const timedOut =
			Date.now() - started >= timeoutMs || (code !== undefined && TIMEOUT_CODES.has(code));
		throw transportFailure(
			this.getNode(),
			true,
			timedOut
				? `IntellectMoney did not answer in time (${Math.round(timeoutMs / 1000)} s)`
				: `The connection to IntellectMoney broke before an answer came: ${FAILURE_WORDS[code ?? ''] ?? `the request failed${code ? ` (${code})` : ''}`}`,
			{ description: `${afterThat} ${maybe}`, itemIndex },
		);
	}

	const status = response.statusCode;
	if (status === 429) {
		const retryAfterMs = retryAfter(response.headers?.['retry-after']);
		throw transportFailure(this.getNode(), false, 'IntellectMoney answered HTTP 429', {
			description: `${afterThat} IntellectMoney asked to slow down (Too Many Requests), so it was not carried out. The answer: ${describeAnswer(response)}.`,
			httpCode: '429',
			itemIndex,
			retryAfterMs,
		});
	}
	if (status >= 300 && status < 400) {
		throw transportFailure(
			this.getNode(),
			true,
			`IntellectMoney answered HTTP ${status}, a redirect${redirectTarget(response.headers?.location)}`,
			{
				description: `${afterThat} ${maybe} Redirects are never followed: they would carry the signed request and its keys to another address. If a proxy in front of IntellectMoney redirects, fix the Base URL. The answer: ${describeAnswer(response)}.`,
				httpCode: String(status),
				itemIndex,
				retryable: false,
			},
		);
	}
	if (status !== 200) {
		// A plain 4xx will answer the same way again; 408 and 5xx may not.
		const retryable = !(status >= 400 && status < 500 && status !== 408);
		throw transportFailure(this.getNode(), true, `IntellectMoney answered HTTP ${status}`, {
			description: `${afterThat} ${maybe} IntellectMoney answers its own refusals with HTTP 200, so this came from the way to it (a gateway, a proxy) or from an unexpected state. The answer: ${describeAnswer(response)}.`,
			httpCode: String(status),
			itemIndex,
			retryable,
		});
	}
	const envelope = parseEnvelope<TResult>(response.body);
	if (envelope === undefined) {
		throw transportFailure(
			this.getNode(),
			true,
			"IntellectMoney's answer is not its JSON envelope",
			{
				description: `${afterThat} The answer was cut off, or came from something else than the IntellectMoney API (a proxy page?), so it may have been carried out. The answer: ${describeAnswer(response)}.`,
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

/**
 * The parameter an answer names as the source of an error. The docs do not fix its place: it is read
 * on `Result` (as an async client on GitHub reads it) and on `Result.State`.
 */
export function errorSourceParam(envelope: ImEnvelope): string | undefined {
	const param = envelope.Result?.ErrorSourceParam ?? envelope.Result?.State?.ErrorSourceParam;
	return typeof param === 'string' && param !== '' ? param : undefined;
}

/** What a refusal is about, for the decision to renew the user token. */
export function refusedParameter(envelope: ImEnvelope): string | undefined {
	return isRefusal(envelope) ? errorSourceParam(envelope) : undefined;
}

/** Refusals about the keys, the signature or the login: never the refusal of a repeat. */
const CREDENTIAL_PARAMS = new Set([
	'authorization',
	'sign',
	'hash',
	'purchasehash',
	'secretkey',
	'usertoken',
	'login',
	'password',
	'eshopid',
]);

/** Whether a refusal names a key, signature or login field (so it is not a repeat's refusal). */
export function isCredentialRefusal(envelope: ImEnvelope): boolean {
	return CREDENTIAL_PARAMS.has((refusedParameter(envelope) ?? '').toLowerCase());
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

/** IntellectMoney's own words for a refusal. */
export function refusalDescription(envelope: ImEnvelope): string {
	return envelope.Result?.State?.Desc || envelope.OperationState?.Desc || 'no description given';
}

/** A refusal in one phrase, for the reason of a failed read: its words and the parameter it names. */
export function refusalSummary(envelope: ImEnvelope): string {
	const param = errorSourceParam(envelope);
	return `${refusalDescription(envelope)}${param ? `; ErrorSourceParam ${param}` : ''}`;
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
	const desc = refusalDescription(envelope);
	const param = errorSourceParam(envelope);
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
		case 'hash':
		case 'purchasehash': {
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

/**
 * IntellectMoney's envelope, or undefined for anything else: every answer carries `OperationState`
 * with a numeric `Code` (dev pages "Тело ответа"; wiki/44433415).
 */
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
	const operationState = (value as { OperationState?: unknown }).OperationState;
	if (typeof operationState !== 'object' || operationState === null) return undefined;
	if (typeof (operationState as { Code?: unknown }).Code !== 'number') return undefined;
	return value as ImEnvelope<TResult>;
}

const KNOWN_CONTENT_TYPES = new Set([
	'application/json',
	'application/problem+json',
	'application/xml',
	'text/xml',
	'text/html',
	'text/plain',
	'application/x-www-form-urlencoded',
	'application/octet-stream',
	'application/javascript',
	'text/javascript',
]);

/**
 * What may be said of an answer that is not IntellectMoney's envelope: its status, content type and
 * length, never a byte of its body (a page that echoes the request would show the keys, and it ends
 * up in the execution log).
 */
export function describeAnswer(response: {
	statusCode: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}): string {
	const contentType = String(response.headers?.['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	// Only well-known types are named: a hostile server could put an echoed secret in the header.
	const shownType =
		contentType === ''
			? 'no content type'
			: KNOWN_CONTENT_TYPES.has(contentType)
				? contentType
				: 'an unusual content type';
	const body = response.body;
	const length =
		typeof body === 'string'
			? Buffer.byteLength(body, 'utf8')
			: Buffer.isBuffer(body)
				? body.length
				: body === undefined || body === null
					? 0
					: Buffer.byteLength(JSON.stringify(body) ?? '', 'utf8');
	return `HTTP ${response.statusCode}, ${shownType}, ${length} bytes`;
}

/**
 * The host a redirect names, for the message. A label longer than 20 characters is not shown: a
 * hostile server could put an echoed secret there.
 */
function redirectTarget(location: unknown): string {
	if (typeof location !== 'string' || location === '') return '';
	try {
		const { hostname } = new URL(location, 'http://unknown.invalid/');
		if (hostname === 'unknown.invalid') return ' to the same host';
		const shown = hostname
			.split('.')
			.map((label) => (label.length > 20 ? '…' : label))
			.join('.');
		return ` to ${shown}`;
	} catch {
		return '';
	}
}

/** The message of the node's own error with `code` in an error chain (our words, no foreign bytes). */
function ownMessage(error: unknown, code: string): string {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const {
			code: found,
			message,
			cause,
		} = current as {
			code?: unknown;
			message?: unknown;
			cause?: unknown;
		};
		if (found === code && typeof message === 'string') return message;
		current = cause;
	}
	return 'The IntellectMoney credential refused to sign the request';
}

/** The system error code (ECONNRESET, …) of a failed request, wherever n8n's wrapping put it. */
function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		current = cause;
	}
	return undefined;
}

function retryAfter(header: unknown): number | undefined {
	const seconds = Number(Array.isArray(header) ? header[0] : header);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
