// @ts-check
/**
 * Fault injection (`injectFaults`): imitates what a network, a proxy or an overloaded server does to
 * a request, so tests can see what a client makes of it. Faults are queued; each request takes the
 * first queued fault whose endpoint matches (none given = any request, unknown paths included) and
 * whose `match` fields (if any) the body has, and consumes one of its `count`. Every request is
 * still logged, with `fault` naming the fault it took.
 *
 *   kind            processed?  what the client gets
 *   --------------  ----------  ---------------------------------------------------------------------
 *   reset           no          the socket is destroyed without an answer
 *   timeout         no          nothing, ever; the socket stays open until the client gives up or stop()
 *   http500/502/503 no          that HTTP status, a small text/html error page
 *   http429         no          HTTP 429, `Retry-After: 2`, JSON {"error":"Too Many Requests"}
 *   html            no          HTTP 200, text/html (a proxy's login page)
 *   xml             no          HTTP 200, application/xml gateway error, whatever Accept asked for
 *   redirect307     no          HTTP 307 to /elsewhere/<path> on the sandbox (a client that follows it
 *                               shows up in the log as an unknown endpoint)
 *   echoHtml        no          HTTP 200, text/html page echoing the request's headers and body
 *   truncated       YES         the real answer's headers, with the Content-Length of the full body,
 *                               then the first half of the body bytes, then the socket is destroyed
 *   applyThenDrop   YES         nothing: the request is processed (money may move), then the socket is
 *                               destroyed without an answer
 *   latency         YES         the real answer, `latencyMs` (default 1000) later; stop() cuts the wait
 *   http202         YES         the real answer with HTTP 202 instead of 200
 *   drip            YES         the real answer, one byte every 200 ms
 *
 * A request not processed is logged with verdict 'refused' and response {error: 'fault: <kind>'};
 * authValid/signValid/hashValid are still computed (they are pure checks). A processed one keeps its
 * real verdict and response.
 */
import { STATUS_CODES } from 'node:http';

import { FAULT_KINDS } from './constants.mjs';
import { send } from './respond.mjs';
import { routeOf } from './routes.mjs';
import { wait } from './state.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./types.mjs').FaultKind} FaultKind
 * @typedef {{ kind: FaultKind, latencyMs: number }} TakenFault
 */

/** Faults that let the request be processed first (the others answer instead of processing). */
const PROCESSING_FAULTS = new Set(['truncated', 'applyThenDrop', 'latency', 'http202', 'drip']);

/** A proxy's login page, served by the 'html' fault. */
const HTML_LOGIN_PAGE =
	'<!DOCTYPE html><html><head><title>Вход в сеть</title></head><body><h1>Требуется авторизация</h1>' +
	'<form method="post" action="/login"><input name="user"><input name="password" type="password">' +
	'<button>Войти</button></form></body></html>';
/** A gateway's XML error, served by the 'xml' fault. */
const XML_GATEWAY_ERROR =
	'<?xml version="1.0" encoding="utf-8"?><Error><Code>ServiceUnavailable</Code>' +
	'<Message>Сервис временно недоступен</Message></Error>';

/** @param {SandboxState} state @param {import('./types.mjs').FaultSpec} spec */
export function injectFaults(state, spec) {
	if (spec === null || typeof spec !== 'object') {
		throw new TypeError('injectFaults: spec must be an object');
	}
	if (!FAULT_KINDS.includes(spec.kind)) {
		throw new TypeError(`injectFaults: unknown kind ${String(spec.kind)}`);
	}
	const count = spec.count ?? 1;
	if (!Number.isInteger(count) || count < 1) {
		throw new TypeError(`injectFaults: count must be a positive integer, got ${count}`);
	}
	const latencyMs = spec.latencyMs ?? 1000;
	if (!Number.isInteger(latencyMs) || latencyMs < 0) {
		throw new TypeError(`injectFaults: latencyMs must be a non-negative integer, got ${latencyMs}`);
	}
	const endpoint = spec.endpoint === undefined ? undefined : spec.endpoint.replace(/^\//, '');
	// A mistyped endpoint would silently never fire.
	if (endpoint !== undefined && !routeOf(endpoint)) {
		throw new TypeError(`injectFaults: unknown endpoint ${spec.endpoint}`);
	}
	state.faults.push({
		endpoint,
		remaining: count,
		kind: spec.kind,
		latencyMs,
		match: { ...(spec.match ?? {}) },
	});
}

/**
 * Consumes one of the first queued fault that matches the endpoint and the body fields.
 * @param {SandboxState} state
 * @param {string} endpoint @param {import('./recipes.mjs').FieldReader} f
 * @returns {TakenFault | null}
 */
export function takeFault(state, endpoint, f) {
	const { faults } = state;
	const i = faults.findIndex(
		(q) =>
			(q.endpoint === undefined || q.endpoint === endpoint) &&
			Object.entries(q.match).every(([name, value]) => f(name) === value),
	);
	if (i < 0) return null;
	const q = faults[i];
	q.remaining -= 1;
	if (q.remaining === 0) faults.splice(i, 1);
	return { kind: q.kind, latencyMs: q.latencyMs };
}

/** Faults still queued (sum of the remaining counts). @param {SandboxState} state */
export const pendingFaults = (state) => state.faults.reduce((n, q) => n + q.remaining, 0);

/**
 * The kind of a fault that answers instead of processing the request; null = none (no fault, or one
 * that lets the request be processed).
 * @param {TakenFault | null} fault
 * @returns {FaultKind | null}
 */
export const blockingKind = (fault) =>
	fault !== null && !PROCESSING_FAULTS.has(fault.kind) ? fault.kind : null;

/**
 * Answers instead of processing, for the faults that do not let a request through.
 * @param {SandboxState} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {FaultKind} kind
 * @param {string} rawText  the request body as received (for 'echoHtml')
 */
export async function sendFault(state, req, res, kind, rawText) {
	switch (kind) {
		case 'reset':
			req.socket.destroy();
			return;
		case 'timeout':
			// Never answered. No timer either: the open socket is all there is, and stop() closes it
			// (server.closeAllConnections), as does a client that gives up.
			return;
		case 'http500':
		case 'http502':
		case 'http503': {
			const status = Number(kind.slice(4));
			const page = `<html><body><h1>${status} ${STATUS_CODES[status]}</h1></body></html>`;
			await send(state, res, status, 'text/html; charset=utf-8', page);
			return;
		}
		case 'http429':
			await send(
				state,
				res,
				429,
				'application/json; charset=utf-8',
				JSON.stringify({ error: 'Too Many Requests' }),
				{ headers: { 'retry-after': '2' } },
			);
			return;
		case 'html':
			await send(state, res, 200, 'text/html; charset=utf-8', HTML_LOGIN_PAGE);
			return;
		case 'xml':
			await send(state, res, 200, 'application/xml; charset=utf-8', XML_GATEWAY_ERROR);
			return;
		case 'redirect307':
			// A misconfigured proxy pointing elsewhere: a client that followed it would carry the
			// signed request to /elsewhere/…, which the log would show as an unknown endpoint.
			await send(state, res, 307, 'text/html; charset=utf-8', '<html>Moved</html>', {
				headers: {
					location: `http://${req.headers.host ?? '127.0.0.1'}/elsewhere/${(req.url ?? '/').replace(/^\//, '')}`,
				},
			});
			return;
		case 'echoHtml': {
			// A page that echoes the request, headers and body: the keys would show in an error.
			const echo = `${JSON.stringify(req.headers)} ${rawText}`.replace(/[<>&]/g, ' ');
			const page = `<html><head><title>${echo}</title></head><body>${echo}</body></html>`;
			await send(state, res, 200, 'text/html; charset=utf-8', page);
			return;
		}
		default:
			throw new Error(`sandbox: fault ${kind} is not an answering fault`);
	}
}

/**
 * Sends a processed request's answer, as the fault it took (if any) says.
 * @param {SandboxState} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {TakenFault | null} fault
 * @param {number} status
 * @param {string} contentType
 * @param {string} body
 */
export async function answerProcessed(state, req, res, fault, status, contentType, body) {
	if (fault?.kind === 'applyThenDrop') {
		req.socket.destroy();
		return;
	}
	if (fault?.kind === 'latency' && !(await wait(state, fault.latencyMs))) return;
	if (fault?.kind === 'drip') {
		// The real answer, one byte every 200 ms: a client whose timeout is only for the silence
		// between bytes would wait minutes.
		res.writeHead(status, { 'content-type': contentType });
		for (const byte of Buffer.from(body, 'utf8')) {
			if (res.destroyed || !(await wait(state, 200))) return;
			res.write(Buffer.of(byte));
		}
		res.end();
		return;
	}
	await send(state, res, fault?.kind === 'http202' ? 202 : status, contentType, body, {
		truncate: fault?.kind === 'truncated',
	});
}
