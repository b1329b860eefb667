// @ts-check
/**
 * Runs a schedule: one world, its targets, and commands, each a workflow run through the real node
 * in n8n-core's engine (dev/n8n/engine.mjs) against the world (world.mjs), in virtual time; after each
 * command the properties (properties.mjs) are checked. A schedule is plain data, so a shrunk failure
 * is saved as JSON and replayed as it is (test/model/regressions.test.mjs).
 */
import { createEngine, CREDENTIAL_TYPE, deduplicator } from '../../dev/n8n/engine.mjs';
import { installVirtualClock, virtualClock } from './clock.mjs';
import {
	failureTellsTheTruth,
	movedAtMostOnce,
	noSecrets,
	outputsTellTheTruth,
	timeoutsBounded,
} from './properties.mjs';
import { ESHOP_ID, startWorld } from './world.mjs';
import {
	INVOICE_IDS,
	itemFor,
	ORDER_IDS,
	PAYOUT_IDS,
	targetKey,
	workflowFor,
} from './workflows.mjs';

/**
 * @typedef {import('./worlds.mjs').World} World
 * @typedef {object} RunCommandData
 * @property {'run'} kind
 * @property {import('./workflows.mjs').Operation} operation
 * @property {number[]} targets  an item per entry: which of the two targets it names
 * @property {boolean} badLast  a last item that is bad input
 * @property {boolean} continueOnFail
 * @property {number} tries  1–5; more than 1 = Retry On Fail
 * @property {boolean} parallel
 * @property {import('./worlds.mjs').MoneyFault[]} moneyFaults
 * @property {import('./worlds.mjs').ReadFault[]} readFaults
 * @typedef {{ kind: 'rerun', moneyFaults: RunCommandData['moneyFaults'], readFaults: RunCommandData['readFaults'] }} RerunCommandData
 * @typedef {RunCommandData | RerunCommandData} CommandData
 * @typedef {{ world: World, invoiceStates: Array<'Held' | 'Paid'>, commands: CommandData[] }} Schedule
 */

/** The model's credential: every value distinct and long enough for the secret scan. */
export const MODEL_SECRETS = {
	bearerToken: 'BEARER-model-5e1f8a3c27',
	signSecretKey: 'SIGN-model-c0d94b7e12',
	shopSecretKey: 'SHOP-model-8a2f6d1e95',
	password: 'PASSWORD-model-3b7c9e',
};

/** @type {Awaited<ReturnType<typeof createEngine>> | undefined} */
let engine;

/** One engine per process (loading the package is the slow part), in virtual time. */
async function modelEngine() {
	installVirtualClock();
	engine ??= await createEngine();
	return engine;
}

/**
 * Everything a user could see from a run (test/support/harness.mjs visibleTexts, which needs jest):
 * the run data, and the node's error with its message, description, context and cause.
 * @param {any} result
 */
function visibleTexts(result) {
	const texts = [JSON.stringify(result.run.data.resultData.runData)];
	for (const error of [
		result.error,
		...Object.keys(result.run.data.resultData.runData).map(result.nodeError),
	]) {
		if (!error) continue;
		texts.push(String(error.message), String(error.description ?? ''), String(error.stack ?? ''));
		texts.push(JSON.stringify(error, Object.getOwnPropertyNames(error)));
		texts.push(JSON.stringify(error.cause ?? null), JSON.stringify(error.context ?? null));
	}
	return texts;
}

/**
 * A running schedule: its world and engine, and what the last run command was (for a re-run).
 * @param {Schedule['world']} world @param {Schedule['invoiceStates']} invoiceStates
 */
export async function openSchedule(world, invoiceStates) {
	const server = await startWorld(world);
	INVOICE_IDS.forEach((id, i) =>
		server.addInvoice({ id, orderId: ORDER_IDS[i], state: invoiceStates[i] }),
	);
	for (const id of PAYOUT_IDS) server.addPayout(id);
	const runner = await modelEngine();
	deduplicator.rows.clear();
	runner.setCredentials({
		[CREDENTIAL_TYPE]: {
			eshopId: ESHOP_ID,
			...MODEL_SECRETS,
			login: 'operator@example.com',
			baseUrl: server.url,
			testMode: false,
		},
	});
	virtualClock.takeWaits();
	/**
	 * @type {{ last: RunCommandData | undefined, staticData: Record<string, any> | undefined,
	 *   lastRun: import('./properties.mjs').CommandRun | undefined }}
	 */
	const memory = { last: undefined, staticData: undefined, lastRun: undefined };
	const secrets = [...Object.values(MODEL_SECRETS), server.userToken];

	return {
		server,
		/** What the last command ran and saw: its items, output, error and requests. */
		lastRun: () => memory.lastRun,
		/**
		 * Runs one command; the properties' violations (empty = all hold).
		 * @param {CommandData} command
		 */
		async run(command) {
			const plan = command.kind === 'run' ? command : memory.last;
			if (!plan) return [];
			memory.last = plan;
			server.schedule.money = [...command.moneyFaults];
			server.schedule.reads = [...command.readFaults];
			const items = plan.targets.map((target) => ({
				operation: plan.operation,
				target,
				bad: false,
			}));
			if (plan.badLast) items.push({ operation: plan.operation, target: 0, bad: true });
			const plans = items.map((item) => ({
				...item,
				key: targetKey(item.operation, item.target, item.bad),
			}));
			const before = server.ledger();
			const seqBefore = server.log.length;
			const result = await runner.run(workflowFor(plan.operation, plan), {
				items: items.map((item) => itemFor(item.operation, item.target, item.bad)),
				staticData: memory.staticData,
			});
			if (result.staticData) memory.staticData = result.staticData;
			await settle(server, seqBefore);
			/** @type {import('./properties.mjs').CommandRun} */
			const commandRun = {
				items: plans,
				output: /** @type {any} */ (result.output('IntellectMoney')),
				error: /** @type {any} */ (result.nodeError('IntellectMoney')),
				texts: visibleTexts(result),
				requests: server.log.slice(seqBefore),
				before,
				after: server.ledger(),
				waits: virtualClock.takeWaits(),
			};
			memory.lastRun = commandRun;
			return [
				...movedAtMostOnce(commandRun),
				...outputsTellTheTruth(commandRun, server),
				...failureTellsTheTruth(commandRun),
				...noSecrets(commandRun, secrets),
				...timeoutsBounded(commandRun),
			];
		},
		async close() {
			await server.stop();
		},
	};
}

/**
 * Waits (real time, briefly) until every request of the command has closed, for the timing property.
 * @param {any} server @param {number} from
 */
async function settle(server, from) {
	for (
		let i = 0;
		i < 50 && server.log.slice(from).some((/** @type {any} */ r) => r.closedAt === undefined);
		i++
	) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/**
 * Runs a whole schedule; the first command's violations, with its index, or none.
 * @param {Schedule} schedule
 * @returns {Promise<{ command: number, violations: string[] } | undefined>}
 */
export async function runSchedule(schedule) {
	const open = await openSchedule(schedule.world, schedule.invoiceStates);
	try {
		for (const [index, command] of schedule.commands.entries()) {
			const violations = await open.run(command);
			if (violations.length > 0) return { command: index, violations };
		}
		return undefined;
	} finally {
		await open.close();
	}
}
