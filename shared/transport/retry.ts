/**
 * How often and how soon a request is sent again. Reads, the user token and a payout's creation move
 * no money, so their transport failures are simply retried; a money-moving request is retried only on
 * proof that it was not carried out (nodes/IntellectMoney/transport/moneyMoving.ts), with the same
 * backoff.
 */
import { NodeApiError } from 'n8n-workflow';
import type { JsonObject } from 'n8n-workflow';

import type { ImEnvelope, ImResultBase } from '../api';
import { clock } from '../clock';
import type { IntellectMoneyEndpoint } from '../signature';
import { asTransportFailure } from './answer';
import type { TransportFailure } from './answer';
import { intellectMoneyApiRequest } from './request';
import type { ApiContext, RequestSettings } from './request';

/** Attempts of one request, the first included. */
export const MAX_ATTEMPTS = 3;

/** Wait before attempt `attempt + 1`: 0.5 s, 1.5 s, … or what IntellectMoney asks for (at most 10 s). */
export function backoffMs(attempt: number, failure: TransportFailure): number {
	return Math.min(Math.max(500 * 3 ** (attempt - 1), failure.retryAfterMs), 10_000);
}

/**
 * Sends a request that is harmless to repeat (a read, the user token, creating a payout operation) and
 * returns IntellectMoney's answer, refusals included: transport failures that another attempt can
 * change are retried up to twice with backoff, then thrown.
 */
export async function repeatableRequest<TResult extends ImResultBase>(
	context: ApiContext,
	endpoint: IntellectMoneyEndpoint,
	body: Record<string, string>,
	settings: RequestSettings,
): Promise<ImEnvelope<TResult>> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await intellectMoneyApiRequest<TResult>(context, endpoint, body, settings);
		} catch (error) {
			const failure = asTransportFailure(error);
			// The transport's own NodeApiError comes back as it is (n8n-workflow does not wrap it twice).
			if (!failure?.retryable || attempt >= MAX_ATTEMPTS) {
				throw new NodeApiError(context.getNode(), error as JsonObject);
			}
			await clock.wait(backoffMs(attempt, failure));
		}
	}
}
