/**
 * Payout → Execute's Wait Until Final: the options read, and the wait itself. Polls getOperationState
 * with n8n's `sleep` between reads (no busy loop, no timers) until the payout is final or the limit
 * runs out. Reads move no money; a read that fails is simply tried at the next turn, so one lost
 * answer does not end the wait.
 */
import { clock } from '../../../../shared/clock';

import type { ExecutePayoutOutput } from '../../outputs';
import { secondsToMs } from '../common/options';
import { isFinalPayoutState, payoutOutput } from './payoutState';
import type { PayoutEnvelope } from './payoutState';

export interface WaitOptions {
	waitUntilFinal?: boolean;
	waitLimitSeconds?: unknown;
	pollIntervalSeconds?: unknown;
}

export interface WaitSettings {
	limitMs: number;
	intervalMs: number;
}

/** The wait the options ask for, or undefined for none; an option out of range is refused. */
export function waitSettings(options: WaitOptions): WaitSettings | undefined {
	if (options.waitUntilFinal !== true) return undefined;
	const seconds = (value: unknown, fallback: number, max: number, name: string) =>
		secondsToMs(value === undefined || value === '' ? fallback : value, {
			name,
			max,
			fix: `Set Options → ${name}, or turn off Wait Until Final.`,
		});
	return {
		limitMs: seconds(options.waitLimitSeconds, 300, 3600, 'Wait Limit (Seconds)'),
		intervalMs: seconds(options.pollIntervalSeconds, 10, 300, 'Check Every (Seconds)'),
	};
}

export async function waitUntilFinal(
	answered: ExecutePayoutOutput,
	readLatest: () => Promise<PayoutEnvelope | undefined>,
	wait: WaitSettings,
): Promise<ExecutePayoutOutput> {
	const started = clock.now();
	const waited = () => Math.round((clock.now() - started) / 1000);
	for (;;) {
		const left = wait.limitMs - (clock.now() - started);
		if (left <= 0) return { ...answered, waitedSeconds: waited(), waitTimedOut: true };
		await clock.wait(Math.min(wait.intervalMs, left));
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
