/**
 * The one way this package talks to IntellectMoney. Every request goes through
 * `httpRequestWithAuthentication`, so n8n's proxy, SSRF, timeout and cancel handling apply, and the
 * credential's `authenticate` signs it. It returns IntellectMoney's envelope, refusals included
 * (refusal.ts reads them), with the request's own secret values hidden (redact.ts): it reads the
 * credential's values only for that, never to send them. Every other outcome is a classified transport
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
import type { IntellectMoneyCredentialData } from '../credential';
import type { IntellectMoneyEndpoint } from '../signature';
import { redactAnswer, redactorFor } from './redact';
import type { SecretValue } from './redact';
import { isRefusal } from './refusal';
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
	const parsed = parseEnvelope<TResult>(response.body);
	if (parsed === undefined) {
		throw transportFailure(node, true, "IntellectMoney's answer is not its JSON envelope", {
			description: `${afterThat} The answer was cut off, or came from something else than the IntellectMoney API (a proxy page?), so it may have been carried out. The answer: ${describeAnswer(response)}.`,
			httpCode: String(status),
		});
	}
	return await withoutSecrets(context, parsed, body);
}

/** Body fields that are secrets of the request (shared/signature.ts masks the same in signed strings). */
const SECRET_BODY_FIELDS = ['UserToken', 'Login', 'Password', 'Pan'];

/** The credential's secret values, read once per n8n context (one node run, one notification). */
const credentialSecrets = new WeakMap<object, Promise<SecretValue[] | undefined>>();

function secretsOfCredential(context: ApiContext): Promise<SecretValue[] | undefined> {
	let secrets = credentialSecrets.get(context);
	if (secrets === undefined) {
		// A context that cannot hand out the credential (a failure of its own) hides a refusal's words.
		secrets = Promise.resolve()
			.then(async () => await context.getCredentials(CREDENTIAL_TYPE))
			.then(
				(credentials) => {
					const data = credentials as unknown as IntellectMoneyCredentialData;
					return [
						{ name: 'Bearer Token', value: data.bearerToken },
						{ name: 'Sign Secret Key', value: data.signSecretKey },
						{ name: 'Shop Secret Key', value: data.shopSecretKey ?? '' },
						{ name: 'Password', value: data.password ?? '' },
						{ name: 'Login', value: data.login ?? '' },
					];
				},
				() => undefined,
			);
		credentialSecrets.set(context, secrets);
	}
	return secrets;
}

/** What shows when the credential could not be read to hide its values from a refusal's words. */
const WORDS_NOT_SHOWN =
	"IntellectMoney's words are not shown: the credential could not be read to hide its values";

/**
 * The envelope with the request's own values hidden: the credential's keys, token and password, and
 * the body's UserToken, Login, Password and card number. The Login is hidden only in a refusal: in an
 * answer that carries data (an invoice's owner e-mail) it is data, not an echo.
 */
async function withoutSecrets<TResult extends ImResultBase>(
	context: ApiContext,
	envelope: ImEnvelope<TResult>,
	body: Record<string, string>,
): Promise<ImEnvelope<TResult>> {
	const refused = isRefusal(envelope);
	const fromBody = SECRET_BODY_FIELDS.map((name) => ({ name, value: body[name] ?? '' }));
	const fromCredential = await secretsOfCredential(context);
	if (fromCredential === undefined && refused) {
		return redactAnswer(hideWords(envelope), redactorFor(fromBody));
	}
	const secrets = [...fromBody, ...(fromCredential ?? [])].filter(
		(secret) => refused || secret.name !== 'Login',
	);
	return redactAnswer(envelope, redactorFor(secrets));
}

function hideWords<TResult extends ImResultBase>(
	envelope: ImEnvelope<TResult>,
): ImEnvelope<TResult> {
	const state = envelope.Result?.State;
	return {
		...envelope,
		OperationState: envelope.OperationState && {
			...envelope.OperationState,
			Desc: WORDS_NOT_SHOWN,
		},
		...(envelope.Result
			? {
					Result: {
						...envelope.Result,
						...(state ? { State: { ...state, Desc: WORDS_NOT_SHOWN } } : {}),
					},
				}
			: {}),
	};
}
