// @ts-check
/**
 * `npm start`: a real n8n with this package, on the bundled sandbox.
 * 1. installs the pinned n8n (first run only, see dev/n8n/install.mjs) and the built package into a
 *    project-local user folder (`.cache/n8n-user`, never ~/.n8n), as n8n installs community packages;
 * 2. starts the IntellectMoney sandbox with the demo shop's data;
 * 3. imports a credential pointing at the sandbox and the example workflows;
 * 4. starts n8n, creates the owner login if needed, prints the editor URL and the login.
 * Ctrl-C stops n8n and the sandbox. `--exit-when-ready` stops after checking the login works and the
 * workflows are there (used by the end-to-end suite).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	CACHE_DIR,
	DEMO_OWNER as OWNER,
	ensureN8n,
	ensureOwner,
	installPackage,
	login,
	n8nCommand,
	portNear,
	PROJECT_ROOT,
	startN8nServer,
} from './index.mjs';
import { BUYER_PAYS, credentialFor, seedDemoData, startSandbox } from '../sandbox/index.mjs';

export const SANDBOX_CREDENTIAL = { id: 'imSandboxCred01', name: 'IntellectMoney sandbox' };

const exitWhenReady = process.argv.includes('--exit-when-ready');
const lineName = process.argv.includes('--line=1.x') ? '1.x' : '2.x';
const userFolder = process.env.IM_N8N_USER_FOLDER ?? path.join(CACHE_DIR, `n8n-user-${lineName}`);

/** @param {string} message */
const say = (message) => console.log(message);

/**
 * Imports JSON into n8n with a CLI command, failing loudly.
 * @param {import('./install.mjs').N8nRuntime} runtime @param {'credentials' | 'workflow'} kind @param {string} file
 */
async function importInto(runtime, kind, file) {
	const result = await n8nCommand(runtime, userFolder, [`import:${kind}`, `--input=${file}`]);
	if (result.code !== 0)
		throw new Error(`n8n import:${kind} failed:\n${result.stdout}\n${result.stderr}`);
}

const runtime = await ensureN8n(lineName);
say(`n8n ${runtime.line.n8nVersion} on Node ${runtime.nodeVersion}`);
installPackage(userFolder);

const sandbox = await startSandbox({ port: await portNear(8085) });
seedDemoData(sandbox);
/** @type {Awaited<ReturnType<typeof startN8nServer>> | undefined} */
let server;
let stopping = false;
async function stopAll() {
	if (stopping) return;
	stopping = true;
	await server?.stop();
	await sandbox.stop();
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

try {
	const scratch = mkdtempSync(path.join(tmpdir(), 'im-start-'));
	try {
		const credentialFile = path.join(scratch, 'credentials.json');
		writeFileSync(
			credentialFile,
			JSON.stringify([
				{
					...SANDBOX_CREDENTIAL,
					type: 'intellectMoneyApi',
					data: credentialFor(sandbox),
				},
			]),
		);
		say('Importing the sandbox credential and the example workflows…');
		await importInto(runtime, 'credentials', credentialFile);
		const examples = path.join(PROJECT_ROOT, 'examples');
		for (const file of readdirSync(examples)
			.filter((name) => name.endsWith('.workflow.json'))
			.sort()) {
			await importInto(runtime, 'workflow', path.join(examples, file));
		}
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}

	const port = await portNear(5678);
	// The shop's Result URL: the production URL of the example trigger workflow, so that once it is
	// published, a payment made with POST /sandbox/pay reaches it (invoices without their own ResultUrl).
	const heldExample = JSON.parse(
		readFileSync(
			path.join(PROJECT_ROOT, 'examples', 'capture-when-payment-is-held.workflow.json'),
			'utf8',
		),
	);
	sandbox.shop.resultUrl = `http://127.0.0.1:${port}/webhook/${heldExample.nodes[0].webhookId}/webhook`;
	say(`Starting n8n on http://127.0.0.1:${port} …`);
	server = await startN8nServer(runtime, userFolder, { port });
	const created = await ensureOwner(server.url, OWNER);

	say('');
	say(`n8n is ready:       ${server.url}`);
	say(`Login:              ${OWNER.email} / ${OWNER.password}${created ? ' (created now)' : ''}`);
	say(
		`Sandbox:            ${sandbox.url} (shop ${sandbox.shop.eshopId}; held orders order-1001, order-1002)`,
	);
	const exampleNames = readdirSync(path.join(PROJECT_ROOT, 'examples'))
		.filter((name) => name.endsWith('.workflow.json'))
		.map((name) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples', name), 'utf8')).name)
		.sort();
	say(`Workflows:          ${exampleNames.map((name) => `"${name}"`).join(', ')}`);
	say('Open a workflow and click "Execute workflow". Ctrl-C stops n8n and the sandbox.');
	say(`Trigger demo:       publish "${heldExample.name}", then pay order-1004 as the buyer:`);
	say(`                    curl -X POST ${sandbox.url}${BUYER_PAYS} -d orderId=order-1004`);

	if (exitWhenReady) {
		const cookie = await login(server.url, OWNER);
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
