// @ts-check
/**
 * The sandbox's HTTP server: reads each request, logs it (the request log), runs the checks and the
 * endpoint, and answers in IntellectMoney's envelope, or as an injected fault says. Every
 * IntellectMoney answer is HTTP 200 (docs/intellectmoney-api.md §4); an unknown path or a method
 * other than POST gets HTTP 404 {"error":"unknown endpoint"}. The live-differs switches
 * (live-differs.mjs) may hide a path or change an answer.
 */
import { createServer } from 'node:http';

import { envelopeOf } from './answers.mjs';
import { payAsBuyer } from './buyer.mjs';
import { authCheck, firstRefusal, hashCheck, signCheck } from './checks.mjs';
import { BUYER_PAYS } from './constants.mjs';
import { answerProcessed, blockingKind, sendFault, takeFault } from './faults.mjs';
import { answerLive, envelopeLive, servedLive } from './live-differs.mjs';
import { routeOf } from './routes.mjs';
import { fieldReader, headerValue, parseBody, readBody, renderEnvelope } from './wire.mjs';

/**
 * @typedef {import('./state.mjs').SandboxState} SandboxState
 * @typedef {import('./types.mjs').LogEntry} LogEntry
 */

/**
 * Logs a request once it has been processed, before its answer is sent.
 * @param {SandboxState} state @param {LogEntry} entry
 */
function record(state, entry) {
	state.log.push(entry);
	state.requestHook?.(entry);
}

/**
 * @param {SandboxState} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function handle(state, req, res) {
	const raw = await readBody(req);
	const endpoint = (req.url ?? '/').split('?')[0].replace(/^\//, '');
	const method = req.method ?? '';
	const contentType = headerValue(req.headers, 'content-type') ?? '';
	const fields = raw === null ? null : parseBody(raw, contentType);
	const f = fieldReader(fields ?? {});
	if (method === 'POST' && endpoint === BUYER_PAYS) {
		payAsBuyer(state, res, f);
		return;
	}
	const route =
		method === 'POST' && servedLive(state.liveDiffers, endpoint) ? routeOf(endpoint) : undefined;
	// TST createInvoice: a header left out is not checked (null); one sent must be right.
	const credentialsOptional =
		route !== undefined && fields !== null && (route.credentialsOptional?.(f) ?? false);
	const authValid = authCheck(
		state,
		headerValue(req.headers, 'authorization'),
		credentialsOptional,
	);
	const fault = takeFault(state, endpoint, f);
	const blocking = blockingKind(fault);
	/** @type {Omit<LogEntry, 'signValid' | 'hashValid' | 'verdict' | 'response'>} */
	const base = {
		seq: ++state.seq,
		endpoint,
		method,
		headers: { ...req.headers },
		contentType,
		fields: fields ?? {},
		authValid,
		fault: fault?.kind ?? null,
	};

	if (!route) {
		if (blocking) {
			const response = { error: `fault: ${blocking}` };
			record(state, { ...base, signValid: null, hashValid: null, verdict: 'refused', response });
			await sendFault(state, req, res, blocking, raw?.toString('utf8') ?? '');
			return;
		}
		const response = { error: 'unknown endpoint' };
		record(state, { ...base, signValid: null, hashValid: null, verdict: 'refused', response });
		const body = JSON.stringify(response);
		await answerProcessed(state, req, res, fault, 404, 'application/json; charset=utf-8', body);
		return;
	}

	const reader = fields === null ? null : f;
	const sign = headerValue(req.headers, 'sign');
	const signValid = signCheck(state, endpoint, reader, sign, credentialsOptional);
	const hash = hashCheck(state, endpoint, reader);

	if (blocking) {
		// Nothing is processed; the checks above are pure, so the log can still show them.
		const response = { error: `fault: ${blocking}` };
		record(state, { ...base, signValid, hashValid: hash.valid, verdict: 'refused', response });
		await sendFault(state, req, res, blocking, raw?.toString('utf8') ?? '');
		return;
	}

	const refusal = firstRefusal({
		authValid,
		parsed: fields !== null,
		signValid,
		hash,
		namesPurchaseHash: route.namesPurchaseHash ?? false,
	});
	const answer = refusal ?? answerLive(state.liveDiffers, endpoint) ?? route.run(state, f);
	const envelope = envelopeLive(
		state.liveDiffers,
		endpoint,
		envelopeOf(endpoint, f, answer),
		answer,
	);
	record(state, {
		...base,
		signValid,
		hashValid: hash.valid,
		verdict: answer.accepted ? 'accepted' : 'refused',
		response: envelope,
	});
	const { contentType: answerType, body } = renderEnvelope(
		envelope,
		headerValue(req.headers, 'accept'),
	);
	await answerProcessed(state, req, res, fault, 200, answerType, body);
}

/**
 * Starts the server on 127.0.0.1.
 * @param {SandboxState} state @param {number} port  0 = a free port
 * @returns {Promise<{ server: import('node:http').Server, port: number }>}
 */
export async function listen(state, port) {
	const server = createServer((req, res) => {
		handle(state, req, res).catch((err) => {
			// A sandbox bug must show up as a failure, not as a hung request.
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(`sandbox error: ${err instanceof Error ? err.stack : String(err)}`);
			}
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('sandbox: no TCP address');
	return { server, port: address.port };
}
