// @ts-check
/**
 * `npm start`: a real n8n with this package, on the bundled sandbox (the instance is demo-instance.mjs).
 * 1. installs the pinned n8n (first run only, see dev/n8n/install.mjs) and the built package into a
 *    project-local user folder (`.cache/n8n-user`, never ~/.n8n), as n8n installs community packages;
 * 2. starts the IntellectMoney sandbox with the demo shop's data;
 * 3. imports a credential pointing at the sandbox and the example workflows;
 * 4. starts n8n, creates the owner login if needed, prints the editor URL and the login.
 * Ctrl-C stops n8n and the sandbox. `--exit-when-ready` stops after checking the login works and the
 * workflows are there (used by the end-to-end suite).
 */
import path from 'node:path';

import { CACHE_DIR, login, portNear, startDemoInstance } from './index.mjs';
import { BUYER_PAYS } from '../sandbox/index.mjs';

const exitWhenReady = process.argv.includes('--exit-when-ready');
const lineName = process.argv.includes('--line=1.x') ? '1.x' : '2.x';
const userFolder = process.env.IM_N8N_USER_FOLDER ?? path.join(CACHE_DIR, `n8n-user-${lineName}`);

/** @param {string} message */
const say = (message) => console.log(message);

/** @type {Awaited<ReturnType<typeof startDemoInstance>> | undefined} */
let instance;
let stopping = false;
async function stopAll() {
	if (stopping) return;
	stopping = true;
	await instance?.stop();
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.on(signal, () => {
		say('\nStopping n8n and the sandbox…');
		stopAll().then(
			() => process.exit(0),
			(error) => {
				console.error(error);
				process.exit(1);
			},
		);
	});
}

instance = await startDemoInstance({
	lineName,
	userFolder,
	sandboxPort: await portNear(8085),
	n8nPort: await portNear(5678),
	log: say,
});
try {
	const { server, sandbox, owner, heldExample } = instance;
	say('');
	say(`n8n is ready:       ${server.url}`);
	say(
		`Login:              ${owner.email} / ${owner.password}${instance.ownerCreated ? ' (created now)' : ''}`,
	);
	say(
		`Sandbox:            ${sandbox.url} (shop ${sandbox.shop.eshopId}; held orders order-1001, order-1002)`,
	);
	const exampleNames = instance.examples.map((workflow) => workflow.name).sort();
	say(`Workflows:          ${exampleNames.map((name) => `"${name}"`).join(', ')}`);
	say('Open a workflow and click "Execute workflow". Ctrl-C stops n8n and the sandbox.');
	say(`Trigger demo:       publish "${heldExample.name}", then pay order-1004 as the buyer:`);
	say(`                    curl -X POST ${sandbox.url}${BUYER_PAYS} -d orderId=order-1004`);

	if (exitWhenReady) {
		const cookie = await login(server.url, owner);
		const workflows = /** @type {any} */ (
			await (await fetch(`${server.url}/rest/workflows`, { headers: { cookie } })).json()
		);
		const names = (workflows.data ?? []).map((/** @type {any} */ w) => w.name).sort();
		say(`READY ${JSON.stringify({ login: 'ok', workflows: names })}`);
		await stopAll();
	}
} catch (error) {
	await stopAll();
	throw error;
}
