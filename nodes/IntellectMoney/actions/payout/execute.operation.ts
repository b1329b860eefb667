/**
 * Payout → Execute: `POST personal/payout/executeOperation` (seeds/000_a67578c069aa1be9.txt).
 * Sends a created payout operation to processing.
 */
import { NodeApiError, sleep, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';

import { validatePayoutOperationId } from '../../helpers/inputValidation';
import type { ExecutePayoutOutput, ImEnvelope, ImPayoutOperationData } from '../../interfaces';
import {
	asTransportFailure,
	backoffMs,
	intellectMoneyApiRequest,
	isRefusal,
	MAX_ATTEMPTS,
	readOperationOutcome,
	refusedParameter,
	throwIfRefused,
} from '../../transport';
import type { RequestSettings } from '../../transport';
import { ENDPOINTS } from '../../transport/signature';
import { readPayoutOperation } from '../../transport/stateReads';
import {
	includeRawOption,
	parallelRequestsOption,
	requestSettings,
	timeoutOption,
} from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';

const properties: INodeProperties[] = [
	{
		displayName: 'Payout Operation ID',
		name: 'payoutOperationId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
		description:
			'The PayoutOperationId (a GUID) that IntellectMoney returned when the payout operation was created',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includeRawOption, timeoutOption, parallelRequestsOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['execute'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): Promise<IDataObject> {
	const payoutOperationId = validatePayoutOperationId(
		this,
		itemIndex,
		context.itemParameter('payoutOperationId', itemIndex),
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		includeRaw?: boolean;
		timeoutSeconds?: unknown;
	};
	const settings = requestSettings(this, itemIndex, options);
	const includeRaw = options.includeRaw === true;
	await context.shop(itemIndex);

	let userToken = await context.userTokens.get(itemIndex, settings);
	/** The payout as IntellectMoney sees it, when the money has already moved; else undefined. */
	const alreadyExecuted = async () => {
		const envelope = await readPayoutOperation(
			this,
			userToken,
			payoutOperationId,
			itemIndex,
			settings,
		);
		const state = envelope?.Result?.PayoutOperationState;
		// Only `Created` means "not executed yet"; any later state means the execute already happened.
		return state && state.toLowerCase() !== 'created' ? envelope : undefined;
	};

	for (let attempt = 1; ; attempt++) {
		let envelope: ImEnvelope<ImPayoutOperationData>;
		try {
			envelope = await send.call(this, userToken, payoutOperationId, itemIndex, settings);
		} catch (error) {
			const failure = asTransportFailure(error);
			if (!failure) throw new NodeApiError(this.getNode(), error as JsonObject);
			if (failure.mayHaveApplied) {
				// The answer was lost: ask IntellectMoney whether the payout went out before anything else.
				const done = await alreadyExecuted().catch(() => {
					failure.error.description = `${failure.error.description} Its state could not be read either: check the payout in the IntellectMoney cabinet before running this again.`;
					throw failure.error;
				});
				if (done) return payoutOutput(done, payoutOperationId, includeRaw, true);
			}
			// Not carried out (proven by the state, or never sent): repeating it cannot pay twice.
			if (!failure.retryable || attempt >= MAX_ATTEMPTS) throw failure.error;
			await sleep(backoffMs(attempt, failure));
			continue;
		}
		// A refused token means nothing was executed, so asking once more with a renewed token cannot pay
		// twice. Which refusal means "token expired" is not published: ErrorSourceParam UserToken is the
		// reading used (reference §4 lists ErrorSourceParam; Personal API code 2 = NoAuth).
		const tokenRefused = refusedParameter(envelope)?.toLowerCase() === 'usertoken';
		if (tokenRefused) {
			const renewed = await context.userTokens.renew(userToken, itemIndex, settings);
			if (renewed !== undefined) {
				userToken = renewed;
				continue;
			}
		}
		if (isRefusal(envelope) && !tokenRefused) {
			// IntellectMoney publishes no code for "already executed": its state says it.
			const done = await alreadyExecuted().catch(() => undefined);
			if (done) return payoutOutput(done, payoutOperationId, includeRaw, true);
		}
		throwIfRefused.call(this, envelope, ENDPOINTS.executePayout, itemIndex, {
			UserToken: userToken,
			PayoutOperationId: payoutOperationId,
		});
		return payoutOutput(envelope, payoutOperationId, includeRaw, false);
	}
}

/** The output item from an execute answer, or from a state read when the payout was already done. */
function payoutOutput(
	envelope: ImEnvelope<ImPayoutOperationData>,
	payoutOperationId: string,
	includeRaw: boolean,
	alreadyDone: boolean,
): IDataObject {
	const { queued, ...outcome } = readOperationOutcome(envelope, includeRaw);
	const payoutState = envelope.Result?.PayoutOperationState ?? null;
	// seeds/000: a payout the bank refused still answers State 0, with PayoutOperationState "Failed"
	// and ErrorMessage. It is an output item (not an error) so an IF node can route it.
	const failed = payoutState?.toLowerCase() === 'failed';
	const output: ExecutePayoutOutput = {
		payoutOperationId: envelope.Result?.PayoutOperationId ?? payoutOperationId,
		payoutState,
		failed,
		errorMessage: envelope.Result?.ErrorMessage ?? null,
		status: queued ? 'queued' : failed ? 'failed' : 'processing',
		...outcome,
		alreadyDone,
	};
	return output as unknown as IDataObject;
}

async function send(
	this: IExecuteFunctions,
	userToken: string,
	payoutOperationId: string,
	itemIndex: number,
	settings: RequestSettings,
): Promise<ImEnvelope<ImPayoutOperationData>> {
	return await intellectMoneyApiRequest.call(
		this,
		ENDPOINTS.executePayout,
		{ UserToken: userToken, PayoutOperationId: payoutOperationId },
		itemIndex,
		settings,
	);
}

/** The payout an item targets: with Parallel Requests, executes of one payout never overlap. */
export function concurrencyKey(
	this: IExecuteFunctions,
	itemIndex: number,
	context: ExecutionContext,
): string | undefined {
	const value = context.itemParameter('payoutOperationId', itemIndex);
	if (typeof value !== 'string') return undefined;
	// GUIDs compare case-insensitively (validatePayoutOperationId lower-cases them too).
	return value.trim().toLowerCase();
}
