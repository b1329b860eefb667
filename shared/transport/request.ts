/**
 * The one way this package talks to IntellectMoney. Every request goes through
 * `httpRequestWithAuthentication`, so n8n's proxy, SSRF, timeout and cancel handling apply, and the
 * credential's `authenticate` signs it; this file never sees a key. It returns IntellectMoney's
 * envelope, refusals included (refusal.ts reads them); every other outcome is a classified transport
 * failure (answer.ts). It knows nothing of items.
 */
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { ImEnvelope, ImResultBase } from '../api';
import { CREDENTIAL_TYPE } from '../credential';
import type { IntellectMoneyEndpoint } from '../signature';
import {
	describeAnswer,
	errorCode,
	failureWords,
	NOT_SENT_CODES,
	ownMessage,
	parseEnvelope,
	redirectTarget,
	retryAfterMs,
	TIMEOUT_CODES,
	transportFailure,
} from './answer';

/** What a request needs of n8n: the node (for errors) and its HTTP helper (the node or the trigger). */
export type ApiContext = IExecuteFunctions | IWebhookFunctions;

export interface RequestSettings {
	/** Milliseconds IntellectMoney has for its whole answer (DEFAULT_TIMEOUT_MS when absent). */
	timeoutMs?: number;
}

/** The Options → Timeout (Seconds) default, also when the option was never added. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends one signed POST and returns IntellectMoney's envelope; transport failures are marked (asTransportFailure). */
export async function intellectMoneyApiRequest<TResult extends ImResultBase>(
	context: ApiContext,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string>,
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
	const node = context.getNode();
	const afterThat = `Request ${endpoint}.`;
	const maybe = 'It may have been carried out.';
	const started = Date.now();

	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		// A fresh error object, with words of its own: the original may carry the request (headers,
		// body) or a foreign server's text.
		const code = errorCode(error);
		if (code === 'EIM_NOT_SIGNED') {
			const message = ownMessage(
				error,
				code,
				'The IntellectMoney credential refused to sign the request',
			);
			throw transportFailure(node, false, message, {
				description: `${afterThat} Nothing was sent. Open the IntellectMoney credential and fix it.`,
				retryable: false,
			});
		}
		if (code !== undefined && NOT_SENT_CODES.has(code)) {
			throw transportFailure(
				node,
				false,
				`Could not reach IntellectMoney: ${failureWords(code, 'the connection failed')}`,
				{
					description: `${afterThat} The connection was not made (${code}), so nothing was sent. Check the Base URL and the network, then run it again.`,
				},
			);
		}
		const timedOut =
			Date.now() - started >= timeoutMs || (code !== undefined && TIMEOUT_CODES.has(code));
		throw transportFailure(
			node,
			true,
			timedOut
				? `IntellectMoney did not answer in time (${Math.round(timeoutMs / 1000)} s)`
				: `The connection to IntellectMoney broke before an answer came: ${failureWords(code, 'the request failed')}`,
			{ description: `${afterThat} ${maybe}` },
		);
	}

	const status = response.statusCode;
	if (status === 429) {
		const retryAfter = retryAfterMs(response.headers?.['retry-after']);
		throw transportFailure(node, false, 'IntellectMoney answered HTTP 429', {
			description: `${afterThat} IntellectMoney asked to slow down (Too Many Requests), so it was not carried out. The answer: ${describeAnswer(response)}.`,
			httpCode: '429',
			retryAfterMs: retryAfter,
		});
	}
	if (status >= 300 && status < 400) {
		throw transportFailure(
			node,
			true,
			`IntellectMoney answered HTTP ${status}, a redirect${redirectTarget(response.headers?.location)}`,
			{
				description: `${afterThat} ${maybe} Redirects are never followed: they would carry the signed request and its keys to another address. If a proxy in front of IntellectMoney redirects, fix the Base URL. The answer: ${describeAnswer(response)}.`,
				httpCode: String(status),
				retryable: false,
			},
		);
	}
	if (status !== 200) {
		// A plain 4xx will answer the same way again; 408 and 5xx may not.
		const retryable = !(status >= 400 && status < 500 && status !== 408);
		throw transportFailure(node, true, `IntellectMoney answered HTTP ${status}`, {
			description: `${afterThat} ${maybe} IntellectMoney answers its own refusals with HTTP 200, so this came from the way to it (a gateway, a proxy) or from an unexpected state. The answer: ${describeAnswer(response)}.`,
			httpCode: String(status),
			retryable,
		});
	}
	const envelope = parseEnvelope<TResult>(response.body);
	if (envelope === undefined) {
		throw transportFailure(node, true, "IntellectMoney's answer is not its JSON envelope", {
			description: `${afterThat} The answer was cut off, or came from something else than the IntellectMoney API (a proxy page?), so it may have been carried out. The answer: ${describeAnswer(response)}.`,
			httpCode: String(status),
		});
	}
	return envelope;
}
