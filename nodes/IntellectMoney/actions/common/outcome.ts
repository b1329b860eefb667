/**
 * How IntellectMoney took a request it did not refuse, in the fields every output item has
 * (outputs.ts `OperationOutput`): its states, its operation id, a warning, whether it only queued it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ImEnvelope, ImState } from '../../../../shared/api';
import type { OperationOutput, StateOutput } from '../../outputs';

export function operationOutcome(
	envelope: ImEnvelope,
	includeRaw: boolean,
): Omit<OperationOutput, 'alreadyDone' | 'testMode'> & { queued: boolean } {
	const operationState = stateOutput(envelope.OperationState) ?? { code: 0, description: '' };
	const state = stateOutput(envelope.Result?.State);
	return {
		// docs/intellectmoney-api.md §4 (wiki/44433415): OperationState 1 = queued; the outcome is not known yet.
		queued: operationState.code === 1,
		state,
		operationState,
		operationId: envelope.OperationId ?? null,
		// docs/intellectmoney-api.md §4 (wiki/160333899): Result.State.Code 1 = success with warnings.
		warning: state?.code === 1 ? state.description : null,
		...(includeRaw ? { raw: envelope as unknown as IDataObject } : {}),
	};
}

function stateOutput(state: ImState | undefined | null): StateOutput | null {
	if (!state || typeof state.Code !== 'number') return null;
	return { code: state.Code, description: state.Desc ?? '' };
}
