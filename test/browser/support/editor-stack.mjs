// @ts-check
/**
 * What the browser suite runs against, all on free 127.0.0.1 ports under one temp folder: the demo
 * instance of `npm start` (dev/n8n/demo-instance.mjs: n8n 2.x with the package, the seeded sandbox,
 * the credential and the example workflows) and Debian's Chromium (dev/browser/chromium.mjs).
 * `stop()` stops all three whatever state they are in and removes the folder; `leftovers()` lists
 * what would still be there.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { launchChromium } from '../../../dev/browser/chromium.mjs';
import { PROJECT_ROOT, startDemoInstance } from '../../../dev/n8n/index.mjs';
import { BUYER_PAYS } from '../../../dev/sandbox/index.mjs';

/** Screenshots of the last run (git-ignored), one folder per theme. */
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'browser-results');

/**
 * Starts n8n with the sandbox, then Chromium; on a failure, stops what had started.
 * @returns {Promise<EditorStack>}
 */
export async function startEditorStack() {
	const root = mkdtempSync(path.join(tmpdir(), 'im-browser-'));
	const userFolder = path.join(root, 'n8n');
	mkdirSync(userFolder);
	rmSync(RESULTS_DIR, { recursive: true, force: true });
	mkdirSync(RESULTS_DIR, { recursive: true });
	/** @type {Awaited<ReturnType<typeof startDemoInstance>> | undefined} */
	let instance;
	/** @type {Awaited<ReturnType<typeof launchChromium>> | undefined} */
	let browser;
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		try {
			await browser?.close();
		} finally {
			try {
				await instance?.stop();
			} finally {
				rmSync(root, { recursive: true, force: true });
			}
		}
	};
	try {
		instance = await startDemoInstance({ userFolder });
		// Wide enough for the output table's columns beside the node's parameters.
		browser = await launchChromium({ parentDir: root, viewport: { width: 1920, height: 1080 } });
		const ports = [instance.server.url, instance.sandbox.url].map((url) =>
			Number(new URL(url).port),
		);
		return { root, instance, browser, stop, leftovers: () => leftovers(root, ports) };
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * The buyer pays an invoice through the sandbox's own endpoint (POST /sandbox/pay, as `npm start`
 * prints it); resolves with the invoice and the answer to its "held" notification (paymentStatus 6).
 * @param {import('../../../dev/sandbox/index.mjs').Sandbox} sandbox @param {string} orderId
 */
export async function payAsBuyer(sandbox, orderId) {
	const answer = await fetch(`${sandbox.url}${BUYER_PAYS}`, {
		method: 'POST',
		body: new URLSearchParams({ orderId }),
	});
	const invoice = /** @type {{ invoiceId: string, orderId: string, state: string }} */ (
		await answer.json()
	);
	const held = await sandbox.waitForNotification(
		(n) => n.fields.orderId === orderId && n.fields.paymentStatus === '6',
		60_000,
	);
	return { invoice, held };
}

/**
 * The sandbox's answers to getUserToken (the credential's test and each execution's token), by verdict.
 * @param {import('../../../dev/sandbox/index.mjs').Sandbox} sandbox
 */
export function tokenRequestsOf(sandbox) {
	const requests = sandbox.log.filter((entry) => entry.endpoint === 'personal/user/getUserToken');
	return {
		accepted: requests.filter((r) => r.verdict === 'accepted').length,
		refused: requests.filter((r) => r.verdict === 'refused').length,
	};
}

/**
 * @typedef {object} EditorStack
 * @property {string} root  the temp folder: n8n's user folder and Chromium's profile
 * @property {Awaited<ReturnType<typeof startDemoInstance>>} instance
 * @property {Awaited<ReturnType<typeof launchChromium>>} browser
 * @property {() => Promise<void>} stop
 * @property {() => Promise<{ folder: boolean, processes: string[], listening: number[] }>} leftovers
 */

/**
 * What is left of a run: the temp folder, processes that name it (Chromium's in its command line,
 * n8n's and its task runner's in N8N_USER_FOLDER), ports still accepting connections.
 * @param {string} root @param {number[]} ports
 */
async function leftovers(root, ports) {
	/** @type {string[]} */
	const processes = [];
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		if (Number(pid) === process.pid) continue;
		for (const file of ['cmdline', 'environ']) {
			try {
				const text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
				if (text.includes(root)) {
					processes.push(
						`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`,
					);
					break;
				}
			} catch {
				// gone meanwhile, or not ours to read
			}
		}
	}
	const listening = [];
	for (const port of ports) if (await accepts(port)) listening.push(port);
	return { folder: existsSync(root), processes, listening };
}

/** Whether 127.0.0.1:port accepts a connection. @param {number} port @returns {Promise<boolean>} */
function accepts(port) {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
