// @ts-check
/**
 * End-to-end: the install path for n8n 3.0, where unverified community packages are off by default
 * (n8n 2.41.1's breaking-change rule unverified-packages.rule.js). Real n8n 2.41.1 starts with that
 * rule's setting (N8N_UNVERIFIED_PACKAGES_ENABLED=false) and this package pinned in
 * N8N_COMMUNITY_PACKAGES (with N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV=true) by name, version and
 * checksum, the checksum being npm's `dist.integrity` of the tarball. n8n installs it itself, from
 * its default registry, which test/support/local-registry.mjs answers locally with the tarball `npm
 * pack` just made. Shown: the pinned package is installed and its nodes load; a wrong checksum is
 * refused before the tarball is downloaded; no checksum is refused at start. n8n 1.123.81 has no
 * N8N_COMMUNITY_PACKAGES, so this runs on the 2.x line only.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	DEMO_OWNER,
	ensureN8n,
	ensureOwner,
	freePort,
	login,
	PROJECT_ROOT,
	startN8nServer,
} from '../../dev/n8n/index.mjs';
import { packInto } from '../../dev/packaging/scan-package.mjs';
import { integrityOf, startLocalRegistry } from '../support/local-registry.mjs';

const PACKAGE = 'n8n-nodes-intellectmoney';
// The node, its AI-tool variant (usableAsTool) and the trigger.
const NODE_TYPES = ['intellectMoney', 'intellectMoneyTool', 'intellectMoneyTrigger'].map(
	(type) => `${PACKAGE}.${type}`,
);

describe('n8n 2.x with unverified packages off (the n8n 3.0 default), the package pinned by checksum', () => {
	/** @type {Awaited<ReturnType<typeof ensureN8n>>} */
	let runtime;
	/** @type {Awaited<ReturnType<typeof startLocalRegistry>>} */
	let registry;
	/** @type {string} */
	let scratch;
	/** @type {{ file: string, integrity: string }} */
	let packed;
	const version = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version;

	beforeAll(async () => {
		runtime = await ensureN8n('2.x');
		scratch = mkdtempSync(path.join(tmpdir(), 'im-e2e-pinned-'));
		packed = packInto(PROJECT_ROOT, scratch);
		registry = await startLocalRegistry({ tarball: packed.file });
	}, 30 * 60_000);

	afterAll(async () => {
		await registry?.stop();
		if (scratch) rmSync(scratch, { recursive: true, force: true });
	});

	/**
	 * Starts n8n on a fresh user folder with the v3 rule's setting and one N8N_COMMUNITY_PACKAGES entry.
	 * @param {string} name @param {Record<string, string>} pin
	 */
	async function startPinned(name, pin) {
		const userFolder = mkdtempSync(path.join(scratch, `${name}-`));
		const server = await startN8nServer(runtime, userFolder, {
			port: await freePort(),
			env: {
				...registry.env,
				N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
				N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
				N8N_COMMUNITY_PACKAGES: JSON.stringify([pin]),
			},
		});
		const installedDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE);
		return { server, installedDir };
	}

	/** The node type names n8n lists, and its installed community packages. @param {string} url */
	async function whatN8nLists(url) {
		await ensureOwner(url, DEMO_OWNER);
		const headers = { cookie: await login(url, DEMO_OWNER) };
		const nodes = /** @type {any[]} */ (
			await (await fetch(`${url}/types/nodes.json`, { headers })).json()
		);
		const packages = /** @type {any} */ (
			await (await fetch(`${url}/rest/community-packages`, { headers })).json()
		).data;
		return {
			ours: nodes
				.map((n) => n.name)
				.filter((n) => n.startsWith(`${PACKAGE}.`))
				.sort(),
			packages: packages.map((/** @type {any} */ p) => [p.packageName, p.installedVersion]),
		};
	}

	test('the checksum is npm’s dist.integrity of the packed tarball', () => {
		expect(packed.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
		expect(integrityOf(readFileSync(packed.file))).toBe(packed.integrity);
		expect(registry.integrity).toBe(packed.integrity);
	});

	test('pinned with the right checksum: n8n installs it from the registry and both nodes load', async () => {
		registry.requests.length = 0;
		const { server, installedDir } = await startPinned('right', {
			name: PACKAGE,
			version,
			checksum: packed.integrity,
		});
		try {
			expect(await whatN8nLists(server.url)).toEqual({
				ours: NODE_TYPES,
				packages: [[PACKAGE, version]],
			});
			expect(server.output()).toContain(
				`Installed community package '${PACKAGE}@${version}' from env`,
			);
			// n8n read the version's integrity, then npm fetched the packument and the tarball.
			expect(registry.requests.map((r) => [r.url, r.status])).toEqual(
				expect.arrayContaining([
					[`/${PACKAGE}/${version}`, 200],
					[`/${PACKAGE}`, 200],
					[`/${PACKAGE}/-/${PACKAGE}-${version}.tgz`, 200],
				]),
			);
			expect(
				JSON.parse(readFileSync(path.join(installedDir, 'package.json'), 'utf8')).version,
			).toBe(version);
		} finally {
			await server.stop();
		}
	}, 300_000);

	test('pinned with a wrong checksum: refused before the tarball is fetched, no node loads', async () => {
		registry.requests.length = 0;
		const { server, installedDir } = await startPinned('wrong', {
			name: PACKAGE,
			version,
			checksum: integrityOf(Buffer.from('some other tarball')),
		});
		try {
			expect(server.output()).toContain(
				`Failed to install community package '${PACKAGE}@${version}' from env: Failed to verify package checksum`,
			);
			expect(await whatN8nLists(server.url)).toEqual({ ours: [], packages: [] });
			expect(registry.requests.map((r) => r.url)).toContain(`/${PACKAGE}/${version}`);
			expect(registry.requests.map((r) => r.url)).not.toContain(
				`/${PACKAGE}/-/${PACKAGE}-${version}.tgz`,
			);
			expect(existsSync(path.join(installedDir, 'package.json'))).toBe(false);
		} finally {
			await server.stop();
		}
	}, 300_000);

	test('pinned without a checksum: n8n refuses to start', async () => {
		await expect(startPinned('none', { name: PACKAGE, version })).rejects.toThrow(
			`N8N_COMMUNITY_PACKAGES: no checksum available for '${PACKAGE}@${version}' and unverified packages are disabled`,
		);
	}, 300_000);
});
