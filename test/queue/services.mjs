// @ts-check
/**
 * PostgreSQL and Redis for n8n's queue mode, from Debian's packages, as throw-away instances: each on
 * a free 127.0.0.1 port with its data in the run folder, in its own process group (teardown.mjs).
 * - Installed with `apt-get install -y postgresql redis-server` when their binaries are missing (a
 *   fresh CI machine); with a temporary `policy-rc.d` that keeps apt from starting the system services
 *   (Debian's invoke-rc.d policy), so nothing but these instances listens.
 * - Postgres refuses to run as root: when this runs as root, initdb and the server run as the
 *   `postgres` user the package creates, which owns its data and socket folders.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	chownSync,
	existsSync,
	mkdirSync,
	openSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { freePort } from '../../dev/n8n/index.mjs';
import { alive } from './teardown.mjs';

/** @typedef {ReturnType<typeof import('./teardown.mjs').createRun>} Run */

const POLICY_RC = '/usr/sbin/policy-rc.d';

/** @param {string} message */
const say = (message) => process.stderr.write(`[queue] ${message}\n`);

/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest installed PostgreSQL's bin folder, or undefined. */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((name) => existsSync(path.join(root, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

/** @param {string} name */
function onPath(name) {
	return (
		spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || undefined
	);
}

/** @param {string} command @param {string[]} args */
function runOrThrow(command, args) {
	const result = spawnSync(command, args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/**
 * Installs what is missing; returns where the binaries are and how long installing took.
 * @returns {{ pgBin: string, redisServer: string, redisCli: string, installSeconds: number }}
 */
export function ensureServicePackages() {
	const started = Date.now();
	const missing = [
		...(postgresBinDir() ? [] : ['postgresql']),
		...(onPath('redis-server') && onPath('redis-cli') ? [] : ['redis-server']),
	];
	if (missing.length > 0) {
		if (process.getuid?.() !== 0) {
			throw new Error(
				`PostgreSQL/Redis missing and not root: run \`apt-get update && apt-get install -y ${missing.join(' ')}\``,
			);
		}
		say(`installing ${missing.join(' and ')} from Debian's packages`);
		const ownPolicy = !existsSync(POLICY_RC);
		// exit 101 = "action forbidden": apt installs the packages without starting their services.
		if (ownPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
		try {
			runOrThrow('apt-get', ['update', '-qq']);
			runOrThrow('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing]);
		} finally {
			if (ownPolicy) rmSync(POLICY_RC, { force: true });
		}
	}
	const pgBin = postgresBinDir();
	const redisServer = onPath('redis-server');
	const redisCli = onPath('redis-cli');
	if (!pgBin || !redisServer || !redisCli) throw new Error('PostgreSQL or Redis still missing');
	return { pgBin, redisServer, redisCli, installSeconds: (Date.now() - started) / 1000 };
}

/** uid/gid to run Postgres as: the `postgres` user under root, else this user. */
function postgresUser() {
	if (process.getuid?.() !== 0) return {};
	const id = (/** @type {string} */ flag) =>
		Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
	const uid = id('-u');
	const gid = id('-g');
	if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no postgres user');
	return { uid, gid };
}

/**
 * A process in its own group, output to a log file; tracked for the emergency stop.
 * @param {Run} run @param {string} name @param {string} command @param {string[]} args
 * @param {{ uid?: number, gid?: number, env?: NodeJS.ProcessEnv, firstSignal?: 'SIGQUIT' }} [options]
 */
export function startLogged(run, name, command, args, options = {}) {
	const logFile = path.join(run.runDir, 'logs', `${name}.log`);
	mkdirSync(path.dirname(logFile), { recursive: true });
	const log = openSync(logFile, 'a');
	const child = spawn(command, args, {
		detached: true,
		stdio: ['ignore', log, log],
		env: options.env ?? process.env,
		...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
	});
	if (!child.pid) throw new Error(`${name} did not start`);
	const pid = child.pid;
	run.track(name, { pid, ...(options.firstSignal ? { firstSignal: options.firstSignal } : {}) });
	const exited = new Promise((resolve) => child.once('exit', resolve));
	exited.then(() => run.untrack(name));
	return {
		pid,
		child,
		logFile,
		exited,
		/** Sends `signal` to the process group, waits for the leader (SIGKILL after `graceMs`). */
		async stop(/** @type {NodeJS.Signals} */ signal = 'SIGTERM', graceMs = 20_000) {
			if (!alive(pid)) return;
			try {
				process.kill(-pid, signal);
			} catch {
				return;
			}
			const timer = setTimeout(() => {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// gone meanwhile
				}
			}, graceMs);
			await exited;
			clearTimeout(timer);
		},
	};
}

/**
 * Polls `check` until it is true (every 250 ms), failing after `timeoutMs` or when the process exits.
 * @param {string} what @param {() => Promise<boolean> | boolean} check @param {number} timeoutMs
 * @param {{ child: import('node:child_process').ChildProcess, logFile: string }} [process]
 */
export async function waitUntil(what, check, timeoutMs, process) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (process && process.child.exitCode !== null) {
			throw new Error(
				`${what}: the process exited (${process.child.exitCode}); see ${process.logFile}`,
			);
		}
		if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs / 1000} s`);
		await pause(250);
	}
}

/**
 * A throw-away PostgreSQL with a database `n8n`, user `postgres`, trust authentication on 127.0.0.1.
 * @param {Run} run @param {string} pgBin
 */
export async function startPostgres(run, pgBin) {
	const user = postgresUser();
	const dataDir = path.join(run.runDir, 'postgres', 'data');
	const socketDir = path.join(run.runDir, 'postgres', 'socket');
	for (const dir of [path.dirname(dataDir), dataDir, socketDir]) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		if (user.uid !== undefined) chownSync(dir, user.uid, /** @type {number} */ (user.gid));
	}
	const init = spawnSync(
		path.join(pgBin, 'initdb'),
		['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
		{ encoding: 'utf8', ...user },
	);
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
	const port = await freePort();
	const server = startLogged(
		run,
		'postgres',
		path.join(pgBin, 'postgres'),
		['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1'],
		{ ...user, firstSignal: 'SIGQUIT' },
	);
	const psqlBin = path.join(pgBin, 'psql');
	const ready = () =>
		spawnSync(path.join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'])
			.status === 0;
	await waitUntil('postgres', ready, 30_000, server);
	/** @param {string} sql @param {string} [database] */
	const psql = (sql, database = 'n8n') => {
		const result = spawnSync(
			psqlBin,
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				database,
				'-X',
				'-A',
				'-t',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			],
			{ encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
		);
		if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
		return result.stdout;
	};
	psql('create database n8n', 'postgres');
	// Fast shutdown: sessions are closed, nothing is waited for.
	run.add('postgres', () => server.stop('SIGINT', 15_000));
	return { port, psql, pid: server.pid };
}

/**
 * A throw-away Redis without persistence.
 * @param {Run} run @param {{ redisServer: string, redisCli: string }} bins
 */
export async function startRedis(run, bins) {
	const port = await freePort();
	const dir = path.join(run.runDir, 'redis');
	mkdirSync(dir, { recursive: true });
	const server = startLogged(run, 'redis', bins.redisServer, [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		dir,
	]);
	const ready = () =>
		spawnSync(bins.redisCli, ['-h', '127.0.0.1', '-p', String(port), 'ping'], {
			encoding: 'utf8',
		}).stdout.trim() === 'PONG';
	await waitUntil('redis', ready, 30_000, server);
	run.add('redis', () => server.stop('SIGTERM', 10_000));
	return { port, pid: server.pid };
}
