/**
 * The one way this node talks to IntellectMoney. Every request goes through
 * `httpRequestWithAuthentication`, so n8n's proxy, SSRF, timeout and cancel handling apply, and the
 * credential's `authenticate` signs it; this file never sees a key.
 */
import { NodeApiError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';

import type { ImEnvelope, ImResultBase, ImState, OperationOutput, StateOutput } from '../interfaces';
import { describeRecipe, SIGNED_FIELDS } from './signature';
import type { IntellectMoneyEndpoint } from './signature';

export const CREDENTIAL_TYPE = 'intellectMoneyApi';

/** Sends one signed POST and returns IntellectMoney's envelope; transport failures become `NodeApiError`. */
export async function intellectMoneyApiRequest<TResult extends ImResultBase>(
	this: IExecuteFunctions,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string>,
	itemIndex: number,
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
	};

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		// A fresh error object: the original may carry the request (headers, body) with it.
		throw new NodeApiError(
			this.getNode(),
			{ message: errorText(error) },
			{
				message: `Could not reach IntellectMoney: ${errorText(error)}`,
				description: `Request ${endpoint} was not answered. If it may have reached IntellectMoney, check the state there before running it again.`,
				itemIndex,
			},
		);
	}

	const envelope = parseEnvelope<TResult>(response.body);
	if (response.statusCode !== 200 || envelope === undefined) {
		const statusText = `HTTP ${response.statusCode}`;
		throw new NodeApiError(
			this.getNode(),
			{ message: statusText },
			{
				message:
					envelope === undefined
						? `IntellectMoney answered ${statusText} without a JSON body`
						: `IntellectMoney answered ${statusText}`,
				description: `Request ${endpoint}. Body starts with: ${bodyPreview(response.body)}`,
				httpCode: String(response.statusCode),
				itemIndex,
			},
		);
	}
	return envelope;
}

/** How IntellectMoney took a request that it did not refuse. */
export function readOperationOutcome(
	envelope: ImEnvelope,
	includeRaw: boolean,
): OperationOutput & { queued: boolean } {
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
	return resultCode === undefined ? operationCode !== 1 && operationCode !== 0 : resultCode !== 0 && resultCode !== 1;
}

/** Throws IntellectMoney's refusal as a `NodeApiError` with its own description and a hint. */
export function throwIfRefused(
	this: IExecuteFunctions,
	envelope: ImEnvelope,
	endpoint: IntellectMoneyEndpoint,
	itemIndex: number,
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
	const hint = refusalHint(endpoint, param);
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
			description: `${codes}.${hint ? ` ${hint}` : ''}`,
			httpCode: '200',
			itemIndex,
		},
	);
}

/** What to check for the parameter IntellectMoney names; the signing recipe shows the field order. */
function refusalHint(endpoint: IntellectMoneyEndpoint, param: string | undefined): string {
	switch ((param ?? '').toLowerCase()) {
		case 'authorization':
			return 'Check the Bearer Token in the IntellectMoney credential.';
		case 'sign':
			return `Check the Sign Secret Key in the credential: the Sign header is SHA-256 of ${describeRecipe(SIGNED_FIELDS[endpoint].sign, 'Sign Secret Key')}.`;
		case 'hash': {
			const hash = SIGNED_FIELDS[endpoint].hash;
			return hash
				? `Check the Shop Secret Key in the credential (the shop's "Подключение магазина" tab): the body Hash is MD5 of ${describeRecipe(hash, 'Shop Secret Key')}. Leave it empty if the shop has none.`
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

function parseEnvelope<TResult extends ImResultBase>(body: unknown): ImEnvelope<TResult> | undefined {
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

function bodyPreview(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
	const preview = text.replace(/\s+/g, ' ').trim().slice(0, 200);
	return preview === '' ? '(empty)' : preview;
}

function errorText(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}
