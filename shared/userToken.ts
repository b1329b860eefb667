/**
 * The Personal/Payout API user token for one execution of the node, or one notification of the
 * trigger.
 *
 * IntellectMoney's tokens expire and its docs advise getting one before Payout calls (wiki/88768545).
 * The node gets one per execution, shared by every item, and renews it once when IntellectMoney refuses
 * it. Login and Password are added by the credential's `authenticate`; the token lives only in this
 * object, which dies with the execution, and never goes into an output item or an error.
 */
import { NodeApiError } from 'n8n-workflow';

import type { ImEnvelope, ImResultBase, ImUserTokenData } from './api';
import { ENDPOINTS } from './signature';
import { refusedParameter, throwIfRefused } from './transport/refusal';
import type { ApiContext, RequestSettings } from './transport/request';
import { repeatableRequest } from './transport/retry';

export class UserTokenSession {
	private current: Promise<string> | undefined;

	private renewals = 0;

	constructor(private readonly context: ApiContext) {}

	/** The execution's token; the first caller fetches it, the others wait for the same answer. */
	async get(settings: RequestSettings = {}): Promise<string> {
		// A failed fetch is kept too: every item gets the same error instead of one more login each.
		this.current ??= this.fetch(settings);
		return await this.current;
	}

	/**
	 * Renews the token after IntellectMoney refused `rejected`, once per execution: items that saw the
	 * same stale token share one renewal; a second refusal of a fresh token is a real error.
	 */
	async renew(rejected: string, settings: RequestSettings = {}): Promise<string | undefined> {
		const seen = this.current;
		const now = await seen?.catch(() => undefined);
		// With Parallel Requests several items can see the same stale token at once: whoever comes
		// second finds the renewal already started and shares it, instead of counting a second one.
		if (this.current !== seen) return await this.current?.catch(() => undefined);
		if (now !== rejected) return now;
		if (this.renewals >= 1) return undefined;
		this.renewals += 1;
		this.current = this.fetch(settings);
		return await this.current;
	}

	/**
	 * A read made with the execution's token: when IntellectMoney refuses the token
	 * (ErrorSourceParam UserToken), it is renewed once and the read made again. Returns the answer,
	 * refusals included; transport failures and a failed token request are thrown.
	 */
	async read<TResult extends ImResultBase>(
		settings: RequestSettings,
		request: (userToken: string) => Promise<ImEnvelope<TResult>>,
	): Promise<ImEnvelope<TResult>> {
		const userToken = await this.get(settings);
		const envelope = await request(userToken);
		if (refusedParameter(envelope)?.toLowerCase() !== 'usertoken') return envelope;
		const renewed = await this.renew(userToken, settings);
		return renewed === undefined ? envelope : await request(renewed);
	}

	private async fetch(settings: RequestSettings): Promise<string> {
		// Getting a token moves no money: transport failures are retried like any read.
		const envelope = await repeatableRequest<ImUserTokenData>(
			this.context,
			ENDPOINTS.userSession,
			{},
			settings,
		);
		// Login and Password are added by the credential; the node shows only their names.
		throwIfRefused(this.context.getNode(), envelope, ENDPOINTS.userSession);
		const token = envelope.Result?.UserToken;
		if (typeof token !== 'string' || token === '') {
			throw new NodeApiError(
				this.context.getNode(),
				{ message: 'no UserToken in the answer' },
				{
					message: 'IntellectMoney did not issue a user token',
					description:
						'personal/user/getUserToken answered without a UserToken. Check Login and Password in the IntellectMoney credential.',
				},
			);
		}
		return token;
	}
}
