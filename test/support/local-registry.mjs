// @ts-check
/**
 * A stand-in for registry.npmjs.org on 127.0.0.1, for tests of how n8n installs a pinned package.
 * n8n 2.41.1 accepts another registry (N8N_COMMUNITY_PACKAGES_REGISTRY) only with an enterprise
 * licence (community-packages.service.js getNpmRegistry), so n8n keeps its default registry and is
 * given an HTTP proxy (HTTPS_PROXY, which both n8n's HTTP client and npm honour) that tunnels
 * `CONNECT registry.npmjs.org:443` to a local HTTPS server holding a throw-away certificate for that
 * name (trusted through NODE_EXTRA_CA_CERTS / npm's cafile). Every other destination is refused and
 * recorded, so nothing leaves the machine. The server serves one package: its packument, its version
 * manifest and its tarball, with the tarball's real integrity (`dist.integrity`, sha512).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from '../../dev/n8n/index.mjs';

export const REGISTRY_HOST = 'registry.npmjs.org';

/** npm's integrity string of a file: `sha512-<base64>`. @param {Buffer} bytes */
export const integrityOf = (bytes) =>
	`sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/** A self-signed certificate for registry.npmjs.org, valid for a day. @param {string} dir */
function makeCertificate(dir) {
	const key = path.join(dir, 'key.pem');
	const cert = path.join(dir, 'cert.pem');
	const result = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			'1',
			'-keyout',
			key,
			'-out',
			cert,
			'-subj',
			`/CN=${REGISTRY_HOST}`,
			'-addext',
			`subjectAltName=DNS:${REGISTRY_HOST}`,
		],
		{ encoding: 'utf8' },
	);
	if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
	return { key, cert };
}

/**
 * @param {{ tarball: string }} options  the package tarball (`npm pack` output)
 */
export async function startLocalRegistry(options) {
	const dir = mkdtempSync(path.join(tmpdir(), 'im-registry-'));
	const { key, cert } = makeCertificate(dir);
	const bytes = readFileSync(options.tarball);
	const integrity = integrityOf(bytes);
	const manifest = await readPackedManifest(options.tarball, dir);
	const { name, version } = manifest;
	const tarballPath = `/${name}/-/${name}-${version}.tgz`;
	const versionManifest = {
		...manifest,
		_id: `${name}@${version}`,
		dist: {
			integrity,
			shasum: createHash('sha1').update(bytes).digest('hex'),
			tarball: `https://${REGISTRY_HOST}${tarballPath}`,
		},
	};
	const packument = {
		_id: name,
		name,
		'dist-tags': { latest: version },
		versions: { [version]: versionManifest },
	};
	/** @type {Array<{ method: string, url: string, status: number }>} */
	const requests = [];
	/** @type {string[]} */
	const refused = [];

	const registry = createHttpsServer(
		{ key: readFileSync(key), cert: readFileSync(cert) },
		(request, response) => {
			const url = request.url ?? '';
			const decoded = decodeURIComponent(url.split('?')[0]);
			/** @type {[number, string, Buffer | string]} */
			const [status, type, body] =
				decoded === `/${name}`
					? [200, 'application/json', JSON.stringify(packument)]
					: decoded === `/${name}/${version}` || decoded === `/${name}/latest`
						? [200, 'application/json', JSON.stringify(versionManifest)]
						: decoded === tarballPath
							? [200, 'application/octet-stream', bytes]
							: [404, 'application/json', JSON.stringify({ error: 'Not found' })];
			requests.push({ method: request.method ?? '', url: decoded, status });
			response.writeHead(status, { 'content-type': type });
			response.end(body);
		},
	);
	const registryPort = await freePort();
	await new Promise((resolve) => registry.listen(registryPort, '127.0.0.1', () => resolve(null)));

	const proxy = createHttpServer((request, response) => {
		refused.push(`${request.method} ${request.url}`);
		response.writeHead(403).end();
	});
	/** @type {Set<import('node:stream').Duplex>} */
	const tunnels = new Set();
	proxy.on('connect', (request, client, head) => {
		if (request.url !== `${REGISTRY_HOST}:443`) {
			refused.push(`CONNECT ${request.url}`);
			client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		const upstream = connect(registryPort, '127.0.0.1', () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		for (const socket of [client, upstream]) {
			tunnels.add(socket);
			socket.on('close', () => tunnels.delete(socket));
		}
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	const proxyPort = await freePort();
	await new Promise((resolve) => proxy.listen(proxyPort, '127.0.0.1', () => resolve(null)));
	const proxyUrl = `http://127.0.0.1:${proxyPort}`;

	return {
		name,
		version,
		integrity,
		requests,
		refused,
		/**
		 * Environment that sends n8n's and npm's outbound traffic through the proxy, trusts the local
		 * certificate, and gives npm its own empty cache and config (the operator's ~/.npmrc is not read).
		 */
		env: {
			HTTPS_PROXY: proxyUrl,
			HTTP_PROXY: proxyUrl,
			https_proxy: proxyUrl,
			http_proxy: proxyUrl,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: cert,
			npm_config_cafile: cert,
			npm_config_https_proxy: proxyUrl,
			npm_config_proxy: proxyUrl,
			npm_config_cache: path.join(dir, 'npm-cache'),
			npm_config_userconfig: path.join(dir, 'npmrc'),
			npm_config_update_notifier: 'false',
		},
		async stop() {
			for (const socket of tunnels) socket.destroy();
			await Promise.all(
				[registry, proxy].map(
					(server) =>
						new Promise((resolve) => {
							server.closeAllConnections?.();
							server.close(() => resolve(null));
						}),
				),
			);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** package.json as packed in a tarball. @param {string} tarball @param {string} dir */
async function readPackedManifest(tarball, dir) {
	const result = spawnSync('tar', ['-xzf', tarball, '-C', dir, 'package/package.json'], {
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`tar failed: ${result.stderr}`);
	return JSON.parse(readFileSync(path.join(dir, 'package', 'package.json'), 'utf8'));
}
