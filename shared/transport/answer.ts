/**
 * What an answer from IntellectMoney (or from whatever answered in its place) proves: the failure
 * classification of the transport, and the words it may use about an answer that is not
 * IntellectMoney's envelope. Pure functions; no byte of a foreign answer ever leaves here.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { ImEnvelope, ImResultBase } from '../api';

/**
 * A request that got no usable answer: it never left, or its answer was lost, cut, redirected or not
 * IntellectMoney's envelope. `mayHaveApplied` is false only on proof that IntellectMoney did not
 * carry it out: the request never left (no connection, DNS or TLS failure before it was written, or
 * the credential refused to sign it) or IntellectMoney answered HTTP 429. Every other answer (any
 * other status, a body that is cut or not IntellectMoney's JSON, a reset, a timeout) may have been
 * carried out.
 */
export interface TransportFailure {
	error: NodeApiError;
	mayHaveApplied: boolean;
	/** Whether asking again can get another answer (false for a redirect or a plain HTTP 4xx). */
	retryable: boolean;
	retryAfterMs: number;
}

/** The error of a transport failure; the marker stays in its context, so n8n sees a plain NodeApiError. */
export function transportFailure(
	node: INode,
	mayHaveApplied: boolean,
	message: string,
	options: { description: string; httpCode?: string; retryAfterMs?: number; retryable?: boolean },
): NodeApiError {
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description: options.description,
		httpCode: options.httpCode,
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

/** The transport failure an error stands for, or undefined for any other error. */
export function asTransportFailure(error: unknown): TransportFailure | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const marker = error.context.transportFailure as Omit<TransportFailure, 'error'> | undefined;
	return marker ? { error, ...marker } : undefined;
}

/**
 * Connection errors that prove the request never left: no connection was made, the name did not
 * resolve, or TLS failed during the handshake (Node writes a request only once the handshake is
 * done). EIM_NOT_SIGNED: the credential refused to sign it (credentials/IntellectMoneyApi).
 */
export const NOT_SENT_CODES = new Set([
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
export const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

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

/** The node's words for a failure code. */
export function failureWords(code: string | undefined, otherwise: string): string {
	if (code !== undefined && Object.prototype.hasOwnProperty.call(FAILURE_WORDS, code))
		return FAILURE_WORDS[code];
	return code ? `${otherwise} (${code})` : otherwise;
}

/**
 * IntellectMoney's envelope, or undefined for anything else: every answer carries `OperationState`
 * with a numeric `Code` (dev pages "Тело ответа"; wiki/44433415).
 */
export function parseEnvelope<TResult extends ImResultBase>(
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
export function redirectTarget(location: unknown): string {
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

/** The system error code (ECONNRESET, CERT_HAS_EXPIRED, …) of a failed request, wherever n8n's wrapping put it. */
export function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		current = cause;
	}
	return undefined;
}

/** The message of the package's own error with `code` in an error chain (its words, no foreign bytes). */
export function ownMessage(error: unknown, code: string, otherwise: string): string {
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
	return otherwise;
}

/** Retry-After in milliseconds (seconds form only), or undefined. */
export function retryAfterMs(header: unknown): number | undefined {
	const seconds = Number(Array.isArray(header) ? header[0] : header);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
