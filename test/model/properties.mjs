// @ts-check
/**
 * The properties checked after every command, judged by the world's ledger and request log (never by
 * the node's own account): each target moved at most once; each output tells the truth; no secret in
 * any output or error; nothing runs past its Timeout bounds. Each returns violations as sentences.
 */
import { OPERATIONS, TIMEOUT_MS } from './workflows.mjs';

/** The longest the node may wait at once between attempts (shared/transport/retry.ts backoffMs caps at 10 s). */
export const MAX_SINGLE_WAIT_MS = 10_000;
/** Slack for a request the world never answers: the client must give up within its Timeout and this. */
const TIMEOUT_SLACK_MS = 1500;

/**
 * @typedef {import('./world.mjs').WorldServer} WorldServer
 * @typedef {import('./world.mjs').WorldRequest} WorldRequest
 * @typedef {{ operation: import('./workflows.mjs').Operation, target: number, bad: boolean, key: string | undefined }} ItemPlan
 * @typedef {{ json: Record<string, any>, pairedItem?: any }} OutputItem
 * @typedef {object} CommandRun
 * @property {ItemPlan[]} items
 * @property {OutputItem[]} output
 * @property {Record<string, any> | undefined} error  the node's error when it stopped the workflow
 * @property {string[]} texts  everything a user could see of the run
 * @property {WorldRequest[]} requests  what the world received during the command
 * @property {Record<string, number>} before  the ledger before the command
 * @property {Record<string, number>} after
 * @property {number[]} waits  the node's virtual waits during the command
 */

/** Each target moved at most once, over the whole schedule. @param {CommandRun} run */
export function movedAtMostOnce(run) {
	return Object.entries(run.after)
		.filter(([, moves]) => moves > 1)
		.map(([key, moves]) => `at most once: ${key} moved ${moves} times`);
}

/** The outcome an error item or error carries (the lead's OUTCOME CONTRACT), when it does. @param {any} error */
const outcomeOf = (error) => error?.outcome ?? error?.context?.outcome;

/** Whether an error says nothing was sent. @param {string} text @param {string | undefined} outcome */
const saysNothingSent = (text, outcome) =>
	outcome === 'notSent' ||
	outcome === 'invalid' ||
	/nothing was sent|could not be read first/i.test(text);

/** @param {CommandRun} run @param {string} key */
const carriedOutFor = (run, key) =>
	run.requests.filter((r) => r.carriedOut && r.target === key).length;

/** Each output item tells the truth about its own target. @param {CommandRun} run @param {WorldServer} world */
export function outputsTellTheTruth(run, world) {
	/** @type {string[]} */
	const violations = [];
	const shared = (/** @type {string} */ key) =>
		run.items.filter((item) => item.key === key).length > 1;
	run.output.forEach((out, position) => {
		const index = out.pairedItem?.item ?? position;
		const plan = run.items[index];
		if (!plan) return;
		const { json } = out;
		const { flag, kind } = OPERATIONS[plan.operation];
		const where = `item ${index} (${plan.operation} ${plan.bad ? 'bad input' : (plan.key ?? `target ${plan.target}`)})`;
		if (json.error !== undefined) {
			const text = `${json.error} ${json.description ?? ''}`;
			if (
				plan.key &&
				!shared(plan.key) &&
				saysNothingSent(text, outcomeOf(json)) &&
				carriedOutFor(run, plan.key) > 0
			) {
				violations.push(`truth: ${where} says nothing was sent, but the world carried it out`);
			}
			return;
		}
		if (plan.bad) violations.push(`truth: ${where} is bad input, yet it succeeded`);
		if (!plan.key) {
			if (kind === 'createPayout' && !world.createdPayouts.has(json.payoutOperationId)) {
				violations.push(
					`truth: ${where} names payout ${json.payoutOperationId}, which the world never created`,
				);
			}
			return;
		}
		const claimsFresh = json.alreadyDone === false && (flag ? json[flag] === true : true);
		if (claimsFresh && carriedOutFor(run, plan.key) === 0) {
			violations.push(
				`truth: ${where} claims it was carried out now, but no request for it was carried out`,
			);
		}
		if (json.alreadyDone === true && (run.after[plan.key] ?? 0) === 0) {
			violations.push(`truth: ${where} says alreadyDone, but the world never carried it out`);
		}
		if (
			kind === 'invoice' &&
			json.invoiceId &&
			!(world.created.get(plan.key.slice(8)) ?? []).includes(String(json.invoiceId))
		) {
			violations.push(
				`truth: ${where} names invoice ${json.invoiceId}, which the world never created for that order`,
			);
		}
	});
	return violations;
}

/**
 * A node that stopped the workflow names what did move money in this command (issue 20: "Name, in a
 * failure's error, the earlier items that did move money"), and never says nothing was sent when
 * something was carried out.
 * @param {CommandRun} run
 */
export function failureTellsTheTruth(run) {
	if (!run.error) return [];
	/** @type {string[]} */
	const violations = [];
	// The error's own words only: the run data also holds the input items, which name the targets.
	const error = run.error;
	const text = [error.message, error.description, JSON.stringify(error.context ?? null)].join('\n');
	const moved = [
		...new Set(
			run.requests
				.filter((r) => r.carriedOut && !r.target.startsWith('createPayout:'))
				.map((r) => r.target),
		),
	];
	const unique = run.items.filter((item) => item.key !== undefined).length === 1;
	const message = `${run.error.message ?? ''} ${run.error.description ?? ''}`;
	if (unique && moved.length > 0 && saysNothingSent(message, outcomeOf(run.error))) {
		violations.push(
			`truth: the error says nothing was sent, but the world carried out ${moved.join(', ')}`,
		);
	}
	for (const key of moved) {
		const id = key.slice(key.indexOf(':') + 1);
		// The target by any name the node was given for it: the world's id, or the Order ID an item named
		// it by (an invoice named by Order ID cannot be looked up, so the node knows only that).
		const names = new Set([id]);
		for (const r of run.requests) {
			if (r.target !== key) continue;
			for (const field of ['OrderId', 'InvoiceId', 'PayoutOperationId'])
				if (r.fields[field]) names.add(r.fields[field]);
		}
		if (![...names].some((name) => text.includes(name)))
			violations.push(`truth: the workflow failed without naming ${key}, which moved`);
	}
	return violations;
}

/** No secret in any output or error. @param {CommandRun} run @param {string[]} secrets */
export function noSecrets(run, secrets) {
	const haystack = run.texts.join('\n');
	return secrets
		.filter((secret) =>
			[secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)].some((f) =>
				haystack.includes(f),
			),
		)
		.map((secret) => `secret: ${secret.slice(0, 6)}… appears in an output or error`);
}

/**
 * Nothing runs past its Timeout: a request the world left unanswered was given up within the Timeout
 * (real time); no single wait of the node is longer than the backoff cap (virtual time); no redirect
 * was followed (the world would log a request to another path).
 * @param {CommandRun} run
 */
export function timeoutsBounded(run) {
	/** @type {string[]} */
	const violations = [];
	for (const request of run.requests) {
		if (
			request.fault === 'late' &&
			(request.closedAt ?? Infinity) - request.openedAt > TIMEOUT_MS + TIMEOUT_SLACK_MS
		) {
			violations.push(
				`timeout: request ${request.seq} to ${request.path} stayed open past the ${TIMEOUT_MS} ms Timeout`,
			);
		}
		if (request.path.startsWith('elsewhere/'))
			violations.push(`redirect: the node followed a redirect to ${request.path}`);
	}
	const longest = Math.max(0, ...run.waits);
	if (longest > MAX_SINGLE_WAIT_MS)
		violations.push(`timeout: the node waited ${longest} ms at once`);
	return violations;
}
