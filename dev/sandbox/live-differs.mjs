// @ts-check
/**
 * Switches that make the sandbox answer as if one of the package's inferences were wrong on the live
 * API (shared/inferences/table.ts, docs/intellectmoney-api.md §10.1), so that Account → Check Setup's
 * `not held` and the node's inference errors are tested end to end. Off by default; set with the
 * `liveDiffers` option of startSandbox, `sandbox.playLiveDiffers([...])`, or `npm run sandbox --
 * --live-differs a,b`. Each switch changes one thing only:
 * - `noOperationState`: personal/payout/getOperationState is not served (HTTP 404, like any unknown path);
 * - `operationStateNoMethod`: it answers IntellectMoney's envelope saying the method does not exist;
 * - `accountFieldNames`: AccountInfoData comes with other field names (AccountNumber, AvailableBalance,
 *   CurrencyCode) instead of AccountId and Balance;
 * - `dateFormat`: the dates of getInvoicesHistory's answers are written `dd.MM.yyyy HH:mm:ss`
 *   (requests are still read as `yyyy-MM-dd HH:mm:ss`);
 * - `refusalShape`: every refusal comes as OperationState.Code 2 with no Result and an `Errors` list
 *   naming the field, instead of Result.State and ErrorSourceParam.
 * The ledger is unchanged by every switch: they change answers, never what money moved.
 */
import { ENDPOINTS } from './constants.mjs';

/** @typedef {'noOperationState' | 'operationStateNoMethod' | 'accountFieldNames' | 'dateFormat' | 'refusalShape'} LiveDiffer */

/** @type {readonly LiveDiffer[]} */
export const LIVE_DIFFERS = Object.freeze([
	'noOperationState',
	'operationStateNoMethod',
	'accountFieldNames',
	'dateFormat',
	'refusalShape',
]);

/**
 * The switches as a set; throws a TypeError naming an unknown one.
 * @param {readonly string[] | undefined} names @returns {Set<LiveDiffer>}
 */
export function liveDiffersOf(names = []) {
	if (!Array.isArray(names)) throw new TypeError('liveDiffers must be a list of switch names');
	for (const name of names) {
		if (!LIVE_DIFFERS.includes(/** @type {LiveDiffer} */ (name))) {
			throw new TypeError(`unknown liveDiffers switch ${name}; known: ${LIVE_DIFFERS.join(', ')}`);
		}
	}
	return new Set(/** @type {LiveDiffer[]} */ (names));
}

/**
 * Whether the path is served at all (noOperationState hides getOperationState).
 * @param {Set<LiveDiffer>} switches @param {string} endpoint
 */
export function servedLive(switches, endpoint) {
	return !(switches.has('noOperationState') && endpoint === ENDPOINTS.getOperationState);
}

/**
 * An answer that replaces the endpoint's own (operationStateNoMethod), or undefined.
 * @param {Set<LiveDiffer>} switches @param {string} endpoint
 * @returns {import('./answers.mjs').Answer | undefined}
 */
export function answerLive(switches, endpoint) {
	if (!switches.has('operationStateNoMethod') || endpoint !== ENDPOINTS.getOperationState)
		return undefined;
	return { op: { Code: 2, Desc: 'Метод не найден' }, result: null, accepted: false };
}

/** `yyyy-MM-dd HH:mm:ss` → `dd.MM.yyyy HH:mm:ss`. @param {unknown} value */
function otherDate(value) {
	const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2}) (.*)$/.exec(value) : null;
	return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}` : value;
}

/** @param {Record<string, unknown>} entry */
function withOtherDates(entry) {
	/** @type {Record<string, unknown>} */
	const copy = { ...entry };
	copy.CreationDate = otherDate(entry.CreationDate);
	copy.ChangeDate = otherDate(entry.ChangeDate);
	if (Array.isArray(entry.HistoryList)) {
		copy.HistoryList = entry.HistoryList.map((payment) => ({
			...payment,
			CreationDate: otherDate(payment.CreationDate),
		}));
	}
	return copy;
}

/**
 * The envelope as the differing live API would send it.
 * @param {Set<LiveDiffer>} switches @param {string} endpoint
 * @param {import('./types.mjs').Envelope} envelope @param {import('./answers.mjs').Answer} answer
 * @returns {import('./types.mjs').Envelope}
 */
export function envelopeLive(switches, endpoint, envelope, answer) {
	if (switches.size === 0) return envelope;
	const result = /** @type {Record<string, any> | null} */ (envelope.Result);
	if (!answer.accepted) {
		if (!switches.has('refusalShape') || result === null) return envelope;
		const desc = result.State?.Desc ?? envelope.OperationState.Desc;
		const field = result.ErrorSourceParam ?? result.State?.ErrorSourceParam ?? null;
		return {
			...envelope,
			OperationState: { Code: 2, Desc: desc },
			Result: null,
			Errors: [{ Field: field, Message: desc }],
		};
	}
	if (result === null) return envelope;
	if (switches.has('accountFieldNames') && endpoint === ENDPOINTS.getAccountData) {
		const { State, AccountId, Balance } = result;
		const renamed = {
			State,
			AccountNumber: AccountId,
			AvailableBalance: Balance?.Amount,
			CurrencyCode: Balance?.Currency,
		};
		return { ...envelope, Result: renamed };
	}
	if (
		switches.has('dateFormat') &&
		endpoint === ENDPOINTS.getInvoicesHistory &&
		Array.isArray(result.InvoicesHistoryList)
	) {
		return {
			...envelope,
			Result: { ...result, InvoicesHistoryList: result.InvoicesHistoryList.map(withOtherDates) },
		};
	}
	return envelope;
}
