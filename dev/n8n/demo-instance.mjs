// @ts-check
/**
 * The demo instance `npm start` gives an operator, and the browser suite drives: the pinned n8n with
 * the built package in a user folder, the IntellectMoney sandbox with the demo shop's data, a
 * credential pointing at the sandbox, the example workflows (examples/*.workflow.json), the shop's
 * Result URL set to the production URL of the held-payment example, and the owner login.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { credentialFor, seedDemoData, startSandbox } from '../sandbox/index.mjs';
import { ensureN8n } from './install.mjs';
import { DEMO_OWNER, ensureOwner } from './owner.mjs';
import { installPackage } from './package.mjs';
import { freePort } from './ports.mjs';
import { n8nCommand, startN8nServer } from './process.mjs';
import { PROJECT_ROOT } from '../paths.mjs';

/** The credential the example workflows name. */
export const SANDBOX_CREDENTIAL = { id: 'imSandboxCred01', name: 'IntellectMoney sandbox' };
/** The example whose trigger the shop's Result URL points at. */
export const HELD_EXAMPLE_FILE = 'capture-when-payment-is-held.workflow.json';

const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples');

/** The example workflows, by file name, sorted. @returns {Array<{ file: string, workflow: any }>} */
export function exampleWorkflows() {
	return readdirSync(EXAMPLES_DIR)
		.filter((name) => name.endsWith('.workflow.json'))
		.sort()
		.map((file) => ({
			file: path.join(EXAMPLES_DIR, file),
			workflow: JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')),
		}));
}

/**
 * Imports JSON into n8n with a CLI command, failing loudly.
 * @param {import('./install.mjs').N8nRuntime} runtime @param {string} userFolder
 * @param {'credentials' | 'workflow'} kind @param {string} file
 */
async function importInto(runtime, userFolder, kind, file) {
	const result = await n8nCommand(runtime, userFolder, [`import:${kind}`, `--input=${file}`]);
	if (result.code !== 0)
		throw new Error(`n8n import:${kind} failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Starts the demo instance; `stop()` stops n8n and the sandbox (the user folder stays: `npm start`
 * keeps the operator's own workflows there).
 * @param {{ lineName?: keyof typeof import('./install.mjs').N8N_LINES, userFolder: string,
 *   n8nPort?: number, sandboxPort?: number, log?: (message: string) => void }} options
 */
export async function startDemoInstance(options) {
	const say = options.log ?? (() => {});
	const runtime = await ensureN8n(options.lineName ?? '2.x');
	say(`n8n ${runtime.line.n8nVersion} on Node ${runtime.nodeVersion}`);
	installPackage(options.userFolder);

	const sandbox = await startSandbox({ port: options.sandboxPort ?? 0 });
	seedDemoData(sandbox);
	/** @type {Awaited<ReturnType<typeof startN8nServer>> | undefined} */
	let server;
	const stop = async () => {
		await server?.stop();
		await sandbox.stop();
	};
	try {
		const examples = exampleWorkflows();
		const scratch = mkdtempSync(path.join(tmpdir(), 'im-start-'));
		try {
			const credentialFile = path.join(scratch, 'credentials.json');
			writeFileSync(
				credentialFile,
				JSON.stringify([
					{ ...SANDBOX_CREDENTIAL, type: 'intellectMoneyApi', data: credentialFor(sandbox) },
				]),
			);
			say('Importing the sandbox credential and the example workflows…');
			await importInto(runtime, options.userFolder, 'credentials', credentialFile);
			for (const { file } of examples)
				await importInto(runtime, options.userFolder, 'workflow', file);
		} finally {
			rmSync(scratch, { recursive: true, force: true });
		}

		const port = options.n8nPort ?? (await freePort());
		const url = `http://127.0.0.1:${port}`;
		// The shop's Result URL: the production URL of the example trigger workflow, so that once it is
		// published, a payment made with POST /sandbox/pay reaches it (invoices without their own ResultUrl).
		const heldExample = examples.find((e) => path.basename(e.file) === HELD_EXAMPLE_FILE)?.workflow;
		sandbox.shop.resultUrl = `${url}/webhook/${heldExample.nodes[0].webhookId}/webhook`;
		say(`Starting n8n on ${url} …`);
		server = await startN8nServer(runtime, options.userFolder, { port });
		const ownerCreated = await ensureOwner(server.url, DEMO_OWNER);
		return {
			runtime,
			sandbox,
			server,
			owner: DEMO_OWNER,
			ownerCreated,
			heldExample,
			examples: examples.map((e) => e.workflow),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
