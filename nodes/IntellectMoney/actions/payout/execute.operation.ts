/**
 * Payout → Execute: `POST personal/payout/executeOperation` (seeds/000_a67578c069aa1be9.txt).
 * Sends a created payout operation to processing; optionally waits until it reaches a final state.
 */
import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ImPayoutOperationData } from '../../../../shared/api';
import { ENDPOINTS } from '../../../../shared/signature';
import { refusedParameter } from '../../../../shared/transport/refusal';
import { intellectMoneyApiRequest } from '../../../../shared/transport/request';
import type { ExecutePayoutOutput } from '../../outputs';
import { sendMoneyMovingRequest } from '../../transport/moneyMoving';
import { validatePayoutOperationId } from '../../validation/identifiers';
import { optionsCollection } from '../common/descriptions';
import { requestSettings } from '../common/options';
import type { CommonOptions } from '../common/options';
import type { ItemScope, RunScope } from '../scope';
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
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['execute'] } },
	properties,
);

type ExecuteOptions = CommonOptions & WaitOptions;

export async function execute(item: ItemScope, run: RunScope): Promise<IDataObject> {
	const payoutOperationId = validatePayoutOperationId(item.param('payoutOperationId'));
	const options = item.param('options', {}) as ExecuteOptions;
	const settings = requestSettings(options);
	const wait = waitSettings(options);
	const includeRaw = options.includeRaw === true;
	const { testMode } = await run.shop();
	refusePayoutInTestMode(testMode);
	const flags = { includeRaw, testMode };

	let userToken = await run.userTokens.get(settings);
	const body = () => ({ UserToken: userToken, PayoutOperationId: payoutOperationId });
	const readState = async () => await readPayoutState(run, payoutOperationId, settings);

	const outcome = await sendMoneyMovingRequest<ImPayoutOperationData, PayoutEnvelope>(
		run.node.getNode(),
		{
			endpoint: ENDPOINTS.executePayout,
			body,
			send: async () => {
				// The session's token: a state read may have renewed it.
				userToken = await run.userTokens.get(settings);
				return await intellectMoneyApiRequest(run.node, ENDPOINTS.executePayout, body(), settings);
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
			// UserToken is the reading used (docs/intellectmoney-api.md §4: ErrorSourceParam names the
			// refused parameter; Personal API code 2 = NoAuth in python-intellectmoney's models).
			onRefusal: async (envelope) => {
				if (refusedParameter(envelope)?.toLowerCase() !== 'usertoken') return 'reconcile';
				const renewed = await run.userTokens.renew(userToken, settings);
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
