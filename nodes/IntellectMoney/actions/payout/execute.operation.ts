/**
 * Payout → Execute: `POST personal/payout/executeOperation` (docs/intellectmoney-api.md §2.3).
 * Sends a created payout operation to processing; optionally waits until it reaches a final state.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ImPayoutOperationData } from '../../../../shared/api';
import { ENDPOINTS } from '../../../../shared/signature';
import { refusalError } from '../../../../shared/transport/refusal';
import { intellectMoneyApiRequest } from '../../../../shared/transport/request';
import type { ExecutePayoutOutput } from '../../outputs';
import { inferenceError } from '../../../../shared/inferences/error';
import { lostError, outcomeError } from '../../atMostOnce/errors';
import type { AttemptTarget } from '../../atMostOnce/memory';
import { sendAtMostOnce } from '../../atMostOnce/send';
import { validatePayoutOperationId } from '../../validation/identifiers';
import { optionsCollection, sendAfterEarlierRunOption } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';
import { earlierRunDescription, notExecutedUnread, PAYOUT_WORDS, payoutSeen } from './messages';
import { payoutOutput, readPayoutState } from './payoutState';
import type { PayoutEnvelope } from './payoutState';
import { payoutOperationIdProperty } from './properties';
import { refusePayoutInTestMode } from './testMode';
import { waitSettings, waitUntilFinal } from './waitUntilFinal';
import type { WaitOptions } from './waitUntilFinal';

const properties: INodeProperties[] = [
	payoutOperationIdProperty,
	optionsCollection(
		{
			displayName: 'Wait Until Final',
			name: 'waitUntilFinal',
			type: 'boolean',
			default: false,
			description:
				'Whether to keep checking the payout (getOperationState) until it is no longer Created or ' +
				'InProcess, or until Wait Limit runs out. The item then says completed or failed instead of processing.',
		},
		{
			displayName: 'Wait Limit (Seconds)',
			name: 'waitLimitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 300,
			description:
				'With Wait Until Final: the longest time to wait. When it runs out the item comes out with ' +
				'final false and waitTimedOut true; the payout goes on at IntellectMoney.',
			displayOptions: { show: { waitUntilFinal: [true] } },
		},
		{
			displayName: 'Check Every (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 10,
			description: 'With Wait Until Final: the pause between two state checks',
			displayOptions: { show: { waitUntilFinal: [true] } },
		},
		sendAfterEarlierRunOption('the execute'),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['execute'] } },
	properties,
);

type ExecuteOptions = CommonOptions & WaitOptions & { sendAfterEarlierRun?: boolean };

/** An item's execute, read and checked before any item is sent. */
export async function prepare(item: ItemScope, run: RunScope) {
	const payoutOperationId = validatePayoutOperationId(item.param('payoutOperationId'));
	const options = item.param('options', {}) as ExecuteOptions;
	const settings = requestSettings(options);
	const wait = waitSettings(options);
	const { testMode } = await run.shop();
	refusePayoutInTestMode(testMode);
	return { payoutOperationId, options, settings, wait, testMode };
}

/** The payout an execute is remembered under across runs (atMostOnce/memory.ts). */
export function attempt(prepared: unknown): AttemptTarget {
	const { payoutOperationId } = prepared as Awaited<ReturnType<typeof prepare>>;
	return { operation: 'executePayout', target: payoutOperationId };
}

export async function execute(
	_item: ItemScope,
	run: RunScope,
	prepared: unknown,
): Promise<IDataObject> {
	const { payoutOperationId, options, settings, wait, testMode } = prepared as Awaited<
		ReturnType<typeof prepare>
	>;
	const flags = { includeRaw: options.includeRaw === true, testMode };
	const node = run.node.getNode();

	let userToken = await run.userTokens.get(settings);
	const body = () => ({ UserToken: userToken, PayoutOperationId: payoutOperationId });
	const readState = async () => await readPayoutState(run, payoutOperationId, settings);

	const outcome = await sendAtMostOnce<ImPayoutOperationData, PayoutEnvelope>({
		// docs/intellectmoney-api.md §2.3 publishes no rule that refuses a second executeOperation, so a
		// re-run reads the payout first (only a Created payout is sent to processing), an earlier run's
		// record stops a blind repeat, and a lost answer is never followed by a resend.
		policy: { canRead: true, readFirst: true, renewsToken: true },
		send: async () => {
			// The session's token: a state read may have renewed it.
			userToken = await run.userTokens.get(settings);
			return await intellectMoneyApiRequest(run.node, ENDPOINTS.executePayout, body(), settings);
		},
		readState,
		// A refused token means nothing was executed, so asking once more with a renewed token cannot
		// pay twice. Which refusal means "token expired" is not published: ErrorSourceParam UserToken
		// is the reading used (docs/intellectmoney-api.md §4: ErrorSourceParam names the refused
		// parameter; Personal API code 2 = NoAuth in python-intellectmoney's models).
		renewToken: async () => {
			const renewed = await run.userTokens.renew(userToken, settings);
			if (renewed !== undefined) userToken = renewed;
			return renewed !== undefined;
		},
		attempt: {
			context: run.node,
			...attempt(prepared),
			acrossRuns: true,
			ignoreEarlierRuns: options.sendAfterEarlierRun === true,
		},
	});
	const check = PAYOUT_WORDS.checkPayout(payoutOperationId);
	switch (outcome.outcome) {
		case 'refused':
			throw outcomeError(
				'refused',
				refusalError(node, outcome.envelope, ENDPOINTS.executePayout, body()),
			);
		case 'lost':
			throw lostError(node, outcome.lost, `${payoutSeen(outcome.reading)} ${check}`);
		case 'notSent':
			throw outcomeError('notSent', outcome.failure.error);
		case 'unreadableFirst': {
			const wrong = outcome.reading.wrongEndpoint;
			// The read itself looks wrong on the live API: name the inference, never a dead end.
			if (wrong !== undefined) {
				const what = `Payout ${payoutOperationId} was not executed: its state could not be read first`;
				throw outcomeError(
					'unreadableFirst',
					inferenceError(node, wrong.inference, what, wrong.seen),
				);
			}
			throw outcomeError('unreadableFirst', {
				node,
				message: notExecutedUnread(payoutOperationId, outcome.reading.why),
				description: `${PAYOUT_WORDS.readFirst} ${check}`,
			});
		}
		case 'earlierRun':
			throw outcomeError('earlierRun', {
				node,
				message: `Payout ${payoutOperationId} was not executed again: an earlier run may already have executed it`,
				description: earlierRunDescription(outcome.reading),
			});
		default:
	}
	const envelope =
		outcome.outcome === 'sent' ? outcome.envelope : (outcome.state ?? outcome.earlier ?? {});

	const answered: ExecutePayoutOutput = {
		...payoutOutput(envelope, payoutOperationId, {
			...flags,
			alreadyDone: outcome.outcome === 'alreadyDone',
		}),
		waitedSeconds: null,
		waitTimedOut: false,
	};
	if (!wait || answered.final || answered.status === 'queued') return { ...answered };
	const readLatest = async () => (await readState()).state;
	return { ...(await waitUntilFinal(answered, readLatest, wait)) };
}

/** The payout an item targets: with Parallel Requests, executes of one payout never overlap. */
export function concurrencyKey(item: ItemScope): string | undefined {
	const value = item.param('payoutOperationId');
	if (typeof value !== 'string') return undefined;
	// GUIDs compare case-insensitively (validatePayoutOperationId lower-cases them too).
	return value.trim().toLowerCase();
}
