/**
 * The one place the package waits and reads the time: the pauses between attempts and state reads,
 * and Wait Until Final's limit. Waiting is n8n's `sleep` (no timers of the package's own, no busy
 * loop). One object, so that the model-based tests (test/model/) can run the node in virtual time:
 * they replace `now` and `wait` of the built module, and the world they play reads the same clock.
 */
import { sleep } from 'n8n-workflow';

export const clock = {
	now: (): number => Date.now(),
	wait: async (ms: number): Promise<void> => await sleep(ms),
};
