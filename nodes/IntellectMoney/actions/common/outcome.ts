/**
 * How IntellectMoney took a request it did not refuse, in the fields every output item has
 * (outputs.ts `OperationOutput`): its states, its operation id, a warning, whether it only queued it.
 * For an action found already done, no answer of this request exists: the states are null, so a
 * state read's "success" is never shown as the refused repeat's.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ImEnvelope, ImState } from '../../../../shared/api';
import type { OperationOutput, StateOutput } from '../../outputs';

export function operationOutcome(
	envelope: ImEnvelope,
	includeRaw: boolean,
	alreadyDone = false,
): Omit<OperationOutput, 'alreadyDone' | 'testMode'> & { queued: boolean } {
	const raw = includeRaw ? { raw: envelope as unknown as IDataObject } : {};
	if (alreadyDone) {
		return {
			queued: false,
			state: null,
			operationState: null,
			operationId: null,
			warning: null,
			...raw,
		};
	}
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
		...raw,
	};
}

function stateOutput(state: ImState | undefined | null): StateOutput | null {
	if (!state || typeof state.Code !== 'number') return null;
	return { code: state.Code, description: state.Desc ?? '' };
}
