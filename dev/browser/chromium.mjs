// @ts-check
/**
 * Debian's Chromium for the browser suite (`npm run test:browser`), driven by playwright-core, which
 * downloads no browser of its own: installed with apt-get when missing (needs root), launched
 * headless with a fresh user-data-dir that closing removes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium's flags. Without the background-networking ones, Chromium keeps opening connections to
 * Google's hosts, which this closed network refuses; headless and sandbox-less because it runs as root
 * without a display.
 */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** @param {string} message */
const progress = (message) => process.stderr.write(`[chromium] ${message}\n`);

/**
 * Runs a command with its output passed through; resolves with its exit code and what it wrote to stderr.
 * @param {string} command @param {string[]} args @returns {Promise<{ code: number | null, stderr: string }>}
 */
function run(command, args) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			stdio: ['ignore', 'inherit', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => {
			process.stderr.write(chunk);
			stderr += chunk;
		});
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stderr }));
	});
}

/** How long apt-get waits for a lock another apt process holds (a fresh machine's unattended upgrades), in seconds. */
export const APT_LOCK_WAIT_SECONDS = 600;

/** apt's own wait for the dpkg lock (apt ≥ 1.9.11); `apt-get update`'s lists lock does not honour it (apt 2.6.1). */
export const APT_LOCK_WAIT = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_SECONDS}`];

/**
 * `apt-get <args>` that waits for apt's locks instead of failing at once: the dpkg lock through
 * APT_LOCK_WAIT, and any lock apt still reports busy (`Could not get lock`, e.g. the lists lock of
 * `apt-get update`) by trying again every 5 s until APT_LOCK_WAIT_SECONDS have passed.
 * @param {string[]} args @param {{ command?: string, retryMs?: number, waitSeconds?: number }} [options]
 *   another command and shorter waits only to try the waiting
 */
export async function aptGet(args, options = {}) {
	const { command = 'apt-get', retryMs = 5000, waitSeconds = APT_LOCK_WAIT_SECONDS } = options;
	const deadline = Date.now() + waitSeconds * 1000;
	for (;;) {
		const { code, stderr } = await run(command, [...APT_LOCK_WAIT, ...args]);
		if (code === 0) return;
		const locked =
			/Could not get lock|Unable to lock|Unable to acquire the dpkg frontend lock/.test(stderr);
		if (!locked || Date.now() + retryMs > deadline)
			throw new Error(
				`apt-get ${args.join(' ')}: exit ${code}${locked ? ` (a lock still held after ${waitSeconds} s)` : ''}`,
			);
		progress(`another apt process holds its lock; trying again in ${retryMs / 1000} s…`);
		await new Promise((resolve) => setTimeout(resolve, retryMs));
	}
}

/**
 * Makes sure /usr/bin/chromium is there: `apt-get update && apt-get install -y chromium` when it is
 * missing, which needs root; without root it fails with the command to run.
 * @param {string} [executable]  where Debian's package puts it (another path only to try the checks)
 */
export async function ensureChromium(executable = CHROMIUM) {
	if (existsSync(executable)) return executable;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`Chromium is not installed (${executable}) and installing it needs root. Run as root:\n` +
				'  apt-get update && apt-get install -y chromium\n' +
				'then run `npm run test:browser` again.',
		);
	}
	progress('installing Debian’s chromium (apt-get update && apt-get install -y chromium)…');
	// Another apt or dpkg (unattended upgrades on a fresh machine) may hold a lock: wait for it, not fail at once.
	await aptGet(['update']);
	await aptGet(['install', '-y', '--no-install-recommends', 'chromium']);
	if (!existsSync(CHROMIUM))
		throw new Error(`apt-get installed chromium, but ${CHROMIUM} is missing`);
	return CHROMIUM;
}

/**
 * Launches Chromium with a fresh user-data-dir under `parentDir` (default: the system temp folder).
 * `close()` closes the browser, which ends its processes, and removes the folder.
 * @param {{ parentDir?: string, viewport?: { width: number, height: number } }} [options]
 */
export async function launchChromium(options = {}) {
	const executablePath = await ensureChromium();
	const { chromium } = await import('playwright-core');
	const userDataDir = mkdtempSync(path.join(options.parentDir ?? tmpdir(), 'chromium-profile-'));
	try {
		// Playwright refuses --user-data-dir among the args: a persistent context takes it instead.
		const context = await chromium.launchPersistentContext(userDataDir, {
			executablePath,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: options.viewport ?? { width: 1440, height: 900 },
		});
		return {
			context,
			userDataDir,
			async close() {
				try {
					await context.close();
				} finally {
					rmSync(userDataDir, { recursive: true, force: true });
				}
			},
		};
	} catch (error) {
		rmSync(userDataDir, { recursive: true, force: true });
		throw error;
	}
}
