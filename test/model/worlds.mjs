// @ts-check
/**
 * The unknowns of IntellectMoney's world, as parameters, each with both answers, and the fault kinds a
 * schedule draws for every request. Pure data (fast-check arbitraries in arbitraries.mjs).
 *
 * Unknowns (docs/intellectmoney-api.md publishes no rule for any of them):
 * - repeat: a second release-refund / executeOperation of the same target is refused, or carried out
 *   again (money moves twice); a second capture is always refused: purchaseToPaid acts only on a held
 *   invoice (§2.1, published), and the world's own state is Paid after a capture, whatever it shows;
 * - createRepeat: createInvoice for an Order ID that has an invoice creates a second one, or is refused
 *   (the shop option "accept only a unique purchase number");
 * - showAfterMs: a carried-out request shows in the state after 0 s, after 5 s, or never within the
 *   node's reads;
 * - personalLagMs: the Personal API (the reads) lags the Merchant API (the actions) by that much more.
 */

/**
 * @typedef {object} World
 * @property {'refused' | 'carriedOut'} repeat
 * @property {'second' | 'refused'} createRepeat
 * @property {0 | 5000 | 'never'} showAfterMs
 * @property {0 | 3000} personalLagMs
 */

export const WORLD_CHOICES = {
	repeat: /** @type {const} */ (['refused', 'carriedOut']),
	createRepeat: /** @type {const} */ (['second', 'refused']),
	showAfterMs: /** @type {const} */ ([0, 5000, 'never']),
	personalLagMs: /** @type {const} */ ([0, 3000]),
};

/** How many distinct worlds there are. */
export const WORLD_COUNT = Object.values(WORLD_CHOICES).reduce(
	(n, choices) => n * choices.length,
	1,
);

/** A world's name, for reports. @param {World} world */
export const worldName = (world) =>
	`repeat=${world.repeat} create=${world.createRepeat} show=${world.showAfterMs} lag=${world.personalLagMs}`;

/**
 * What happens to one money-moving request (capture, refund, createInvoice, executeOperation,
 * createOperation). "before": nothing is carried out; "after": carried out, then the answer is spoiled.
 *
 *   none           carried out, IntellectMoney's answer
 *   reset          before: the connection is cut (never left as far as the server is concerned)
 *   http429Before  before: HTTP 429
 *   redirect       before: HTTP 307 to another path
 *   foreignPage    before: HTTP 200, a proxy's HTML login page
 *   echoPage       before: HTTP 200, an HTML page echoing the request's headers and body (its secrets)
 *   imRefusal      before: IntellectMoney's own refusal (Result.State.Code 3)
 *   bareEnvelope   before: HTTP 200 {"OperationState":{"Code":0}}, no Result.State
 *   nullResult     before: HTTP 200 {"OperationState":{"Code":0},"Result":null}
 *   lost           after: the connection is cut without an answer
 *   http5xxAfter   after: HTTP 502 page
 *   http429After   after: HTTP 429
 *   late           after: no answer until the client gives up (past its Timeout)
 *   truncated      after: half the body, then the connection is cut
 */
export const MONEY_FAULTS = /** @type {const} */ ([
	'none',
	'reset',
	'http429Before',
	'redirect',
	'foreignPage',
	'echoPage',
	'imRefusal',
	'bareEnvelope',
	'nullResult',
	'lost',
	'http5xxAfter',
	'http429After',
	'late',
	'truncated',
]);

/** Faults after which the request was carried out. */
export const CARRIED_OUT_FAULTS = new Set([
	'none',
	'lost',
	'http5xxAfter',
	'http429After',
	'late',
	'truncated',
]);

/**
 * What happens to one state read (getInvoicesHistory, getOperationState).
 *
 *   none         the state as the world shows it now
 *   refused      IntellectMoney refuses the read
 *   empty        the target is not listed / no state
 *   stale        the state before anything this schedule did
 *   duplicated   the target listed twice: the state before, then now (an invoice); stale for a payout
 *   otherTarget  an answer about another invoice / payout
 *   reset        the connection is cut
 *   http500      HTTP 500 page
 *   echoPage     HTTP 200, an HTML page echoing the request's headers and body (its secrets)
 */
export const READ_FAULTS = /** @type {const} */ ([
	'none',
	'refused',
	'empty',
	'stale',
	'duplicated',
	'otherTarget',
	'reset',
	'http500',
	'echoPage',
]);

/** @typedef {typeof MONEY_FAULTS[number]} MoneyFault @typedef {typeof READ_FAULTS[number]} ReadFault */
