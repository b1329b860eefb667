/**
 * Payout → Execute: `POST personal/payout/executeOperation` (seeds/000_a67578c069aa1be9.txt).
 * Sends a created payout operation to processing; optionally waits until it reaches a final state.
 */
import { sleep, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validatePayoutOperationId } from '../../helpers/inputValidation';
import type { ExecutePayoutOutput, ImEnvelope, ImPayoutOperationData } from '../../interfaces';
import {
	intellectMoneyApiRequest,
	isRefusal,
	refusalSummary,
	refusedParameter,
} from '../../transport';
import type { RequestSettings } from '../../transport';
import { sendMoneyMovingRequest } from '../../transport/moneyMoving';
import type { StateReading } from '../../transport/moneyMoving';
import { ENDPOINTS } from '../../transport/signature';
import { requestPayoutState } from '../../transport/stateReads';
import { optionsCollection, requestSettings, secondsToMs } from '../common.descriptions';
import type { ExecutionContext } from '../executionContext';
import {
	asItem,
	isFinalPayoutState,
	payoutOperationIdProperty,
	payoutOutput,
	refusePayoutInTestMode,
} from './payoutOperation';

const properties: INodeProperties[] = [
	payoutOperationIdProperty,
	optionsCollection(
		{
			displayName: 'Wait Until Final',
			name: 'waitUntilFinal',
			type: 'boolean',
			default: false,
			description:
				'Whether to keep checking the payout (getOperationState) until it is no longer Created or InProcess, or until Wait Limit runs out. The item then says completed or failed instead of processing.',
		},
		{
			displayName: 'Wait Limit (Seconds)',
			name: 'waitLimitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 300,
			description:
				'With Wait Until Final: the longest time to wait. When it runs out the item comes out with final false and waitTimedOut true; the payout goes on at IntellectMoney.',
		},
		{
			displayName: 'Check Every (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 10,
			description: 'With Wait Until Final: the pause between two state checks',
		},
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['execute'] } },
	properties,
);

interface ExecuteOptions {
	includeRaw?: boolean;
	timeoutSeconds?: unknown;
	waitUntilFinal?: boolean;
	waitLimitSeconds?: unknown;
	pollIntervalSeconds?: unknown;
}

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
	const options = this.getNodeParameter('options', itemIndex, {}) as ExecuteOptions;
	const settings = requestSettings(this, itemIndex, options);
	const wait = waitSettings(this, itemIndex, options);
	const includeRaw = options.includeRaw === true;
	const { testMode } = await context.shop(itemIndex);
	refusePayoutInTestMode(this, itemIndex, testMode);
	const flags = { includeRaw, testMode };

	let userToken = await context.userTokens.get(itemIndex, settings);
	const body = () => ({ UserToken: userToken, PayoutOperationId: payoutOperationId });
	const readState = async () =>
		await readPayoutState.call(this, context, payoutOperationId, itemIndex, settings);

	const outcome = await sendMoneyMovingRequest<ImPayoutOperationData, PayoutEnvelope>(
		this,
		itemIndex,
		{
			endpoint: ENDPOINTS.executePayout,
			body,
			send: async () => {
				// The session's token: a state read may have renewed it.
				userToken = await context.userTokens.get(itemIndex, settings);
				return await intellectMoneyApiRequest.call(
					this,
					ENDPOINTS.executePayout,
					body(),
					itemIndex,
					settings,
				);
			},
			readState,
			// seeds/000 publishes no rule that refuses a second executeOperation, so a re-run (or n8n's
			// Retry On Fail) reads the payout first: only a Created payout is sent to processing.
			readFirst: true,
			unreadableBeforeSending: `Payout ${payoutOperationId} was not executed: its state could not be read first`,
			unknownStateAdvice:
				'Check the payout in the IntellectMoney cabinet (or with Payout → Get State) before running this again.',
			// A refused token means nothing was executed, so asking once more with a renewed token
			// cannot pay twice. Which refusal means "token expired" is not published: ErrorSourceParam
			// UserToken is the reading used (wiki/160333899 lists ErrorSourceParam; Personal API code 2 =
			// NoAuth in python-intellectmoney's models).
			onRefusal: async (envelope) => {
				if (refusedParameter(envelope)?.toLowerCase() !== 'usertoken') return 'reconcile';
				const renewed = await context.userTokens.renew(userToken, itemIndex, settings);
				if (renewed === undefined) return 'report';
				userToken = renewed;
				return 'resend';
			},
		},
	);

	const answered: ExecutePayoutOutput = {
		...payoutOutput(outcome.envelope ?? outcome.alreadyDone ?? {}, payoutOperationId, {
			...flags,
			alreadyDone: outcome.envelope === undefined,
		}),
		waitedSeconds: null,
		waitTimedOut: false,
	};
	if (!wait || answered.final || answered.status === 'queued') return asItem(answered);

	/** One state read for the wait; a refused read renews the user token (once per execution). */
	const readLatest = async () => {
		const reading = await readState();
		return reading.state;
	};
	return asItem(await waitUntilFinal(answered, readLatest, wait));
}

type PayoutEnvelope = ImEnvelope<ImPayoutOperationData>;

/**
 * The payout as IntellectMoney's getOperationState shows it: `Created` is the one state before
 * Execute (seeds/000 and wiki/88768545 publish only InProcess and Failed after it), so Created =
 * pending and any other state = executed. A refused, empty or foreign answer is unknown. Never throws.
 */
async function readPayoutState(
	this: IExecuteFunctions,
	context: ExecutionContext,
	payoutOperationId: string,
	itemIndex: number,
	settings: RequestSettings,
): Promise<StateReading<PayoutEnvelope>> {
	let envelope: PayoutEnvelope;
	try {
		envelope = await context.userTokens.read(
			itemIndex,
			settings,
			async (userToken) =>
				await requestPayoutState(this, userToken, payoutOperationId, itemIndex, settings),
		);
	} catch {
		return { verdict: 'unknown', why: 'the read of the payout got no usable answer' };
	}
	if (isRefusal(envelope)) {
		const why = `IntellectMoney refused the read of the payout (${refusalSummary(envelope)})`;
		return { verdict: 'unknown', why };
	}
	const state = envelope.Result?.PayoutOperationState;
	const answeredId = envelope.Result?.PayoutOperationId;
	if (typeof state !== 'string' || state === '') {
		return { verdict: 'unknown', why: 'IntellectMoney answered without a PayoutOperationState' };
	}
	if (typeof answeredId === 'string' && answeredId.toLowerCase() !== payoutOperationId) {
		return { verdict: 'unknown', why: 'IntellectMoney answered about another payout operation' };
	}
	return { verdict: state.toLowerCase() === 'created' ? 'pending' : 'done', state: envelope };
}

interface WaitSettings {
	limitMs: number;
	intervalMs: number;
}

function waitSettings(
	node: IExecuteFunctions,
	itemIndex: number,
	options: ExecuteOptions,
): WaitSettings | undefined {
	if (options.waitUntilFinal !== true) return undefined;
	const seconds = (value: unknown, fallback: number, max: number, name: string) =>
		secondsToMs(node, itemIndex, value === undefined || value === '' ? fallback : value, {
			name,
			max,
			fix: `Set Options → ${name}, or turn off Wait Until Final.`,
		});
	return {
		limitMs: seconds(options.waitLimitSeconds, 300, 3600, 'Wait Limit (Seconds)'),
		intervalMs: seconds(options.pollIntervalSeconds, 10, 300, 'Check Every (Seconds)'),
	};
}

/**
 * Polls getOperationState with n8n's `sleep` between reads (no busy loop, no timers) until the payout
 * is final or the limit runs out. Reads move no money; a read that fails is simply tried at the next
 * turn, so one lost answer does not end the wait.
 */
async function waitUntilFinal(
	answered: ExecutePayoutOutput,
	readLatest: () => Promise<ImEnvelope<ImPayoutOperationData> | undefined>,
	wait: WaitSettings,
): Promise<ExecutePayoutOutput> {
	const started = Date.now();
	const waited = () => Math.round((Date.now() - started) / 1000);
	for (;;) {
		const left = wait.limitMs - (Date.now() - started);
		if (left <= 0) return { ...answered, waitedSeconds: waited(), waitTimedOut: true };
		await sleep(Math.min(wait.intervalMs, left));
		const envelope = await readLatest();
		if (envelope && isFinalPayoutState(envelope.Result?.PayoutOperationState)) {
			const final = payoutOutput(envelope, answered.payoutOperationId, {
				includeRaw: answered.raw !== undefined,
				alreadyDone: answered.alreadyDone,
				testMode: answered.testMode,
			});
			return { ...final, waitedSeconds: waited(), waitTimedOut: false };
		}
	}
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
