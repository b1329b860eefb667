// @ts-check
/**
 * The checks `npm run scan` runs on the unpacked npm tarball (what n8n installs), each returning the
 * problems it found. Besides the lint that n8n's own scanner runs (see lintLikeTheScanner), they
 * cover what n8n's verification asks of a community package (docs.n8n.io → Creating nodes →
 * Submit community nodes): no runtime dependencies, no install-time scripts, nothing shipped but the
 * build, and every asset that package.json's `n8n` section relies on.
 * Used by scan-package.mjs and tested on planted problems by test/package/scan.test.mjs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { links } from '../docs/markdown.mjs';
import { PROJECT_ROOT } from '../paths.mjs';

/**
 * The size budget of the tarball (bytes, 1 kB = 1000 B); docs/development.md (Verification) states the same
 * figures. 2026-12-07: 98.3 kB packed, 397 kB unpacked with the operator's README (19 kB), Check Setup and the
 * at-most-once core; 113.8 kB and 408 kB before, with the 138 kB README.
 */
export const SIZE_BUDGET = { packedBytes: 110_000, unpackedBytes: 450_000 };

/**
 * npm lifecycle scripts that run on install, pack or publish. n8n's lint rule
 * (no-forbidden-lifecycle-scripts) bans prepare, preinstall, install, postinstall, prepublish,
 * preprepare and postprepare; the pack and publish ones are banned here too: `npm publish` in the
 * release workflow must publish exactly the build the scan checked.
 */
export const LIFECYCLE_SCRIPTS = [
	'preinstall',
	'install',
	'postinstall',
	'dependencies',
	'prepublish',
	'preprepare',
	'prepare',
	'postprepare',
	'prepack',
	'postpack',
	'prepublishOnly',
	'publish',
	'postpublish',
	'preuninstall',
	'uninstall',
	'postuninstall',
];

/** Files a tarball may hold: the build, the entry points, and what npm always adds. @param {string} file */
export function isAllowedFile(file) {
	return (
		file.startsWith('dist/') ||
		['index.js', 'index.d.ts', 'package.json'].includes(file) ||
		/^(README|LICENSE|LICENCE)(\.[^/]*)?$/i.test(file)
	);
}

/** Build output that must never ship: tsc's incremental state, copied manifests, compiled tests. @param {string} file */
export function isBuildLeftover(file) {
	return (
		file.endsWith('.tsbuildinfo') ||
		(file.startsWith('dist/') && path.posix.basename(file) === 'package.json') ||
		/^dist\/(.*\/)?test\//.test(file) ||
		/\.(test|spec)\.js$/.test(file)
	);
}

/**
 * Every file of an unpacked package, as POSIX paths relative to it.
 * @param {string} dir @returns {Array<{ file: string, bytes: number }>}
 */
export function listFiles(dir) {
	/** @type {Array<{ file: string, bytes: number }>} */
	const files = [];
	/** @param {string} relative */
	const walk = (relative) => {
		for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
			const file = relative ? `${relative}/${entry.name}` : entry.name;
			if (entry.isDirectory()) walk(file);
			else files.push({ file, bytes: statSync(path.join(dir, file)).size });
		}
	};
	walk('');
	return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** @param {string} dir @returns {Record<string, any>} */
export function readManifest(dir) {
	return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** Runtime dependencies of any kind: n8n installs a community package without them. @param {Record<string, any>} manifest */
export function checkDependencies(manifest) {
	return ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']
		.filter((field) => {
			const value = manifest[field];
			return Array.isArray(value) ? value.length > 0 : Object.keys(value ?? {}).length > 0;
		})
		.map((field) => `package.json has ${field}: ${JSON.stringify(manifest[field])}`);
}

/** @param {Record<string, any>} manifest */
export function checkLifecycleScripts(manifest) {
	return Object.keys(manifest.scripts ?? {})
		.filter((name) => LIFECYCLE_SCRIPTS.includes(name))
		.map((name) => `package.json has the lifecycle script "${name}": ${manifest.scripts[name]}`);
}

/** @param {Record<string, any>} manifest */
export function checkOverrides(manifest) {
	return 'overrides' in manifest
		? [`package.json has overrides: ${JSON.stringify(manifest.overrides)}`]
		: [];
}

/** @param {Array<{ file: string }>} files */
export function checkFileList(files) {
	return files
		.filter(({ file }) => !isAllowedFile(file))
		.map(
			({ file }) =>
				`${file} is not part of the package (allowed: dist/, index.js, index.d.ts, README, LICENSE, package.json)`,
		);
}

/** @param {Array<{ file: string, bytes: number }>} files */
export function checkLeftovers(files) {
	return files
		.filter(({ file }) => isBuildLeftover(file))
		.map(({ file, bytes }) => `${file} (${bytes} B) is a build leftover`);
}

/**
 * The README npm and n8n's Community Nodes page show: there, and every link in it absolute or an anchor
 * of its own (npm's page resolves no relative link into the repository, so the docs are linked by
 * their repository URLs). @param {string} dir
 */
export function checkReadme(dir) {
	const file = path.join(dir, 'README.md');
	if (!existsSync(file)) return ['README.md is missing: npm and n8n show it as the package page'];
	return links(readFileSync(file, 'utf8'))
		.filter(({ target }) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target))
		.map(
			({ target, line }) => `README.md:${line} links ${target} relatively: it breaks on npm's page`,
		);
}

/** @param {{ packedBytes: number, unpackedBytes: number }} sizes */
export function checkSize(sizes) {
	const problems = [];
	if (sizes.packedBytes > SIZE_BUDGET.packedBytes)
		problems.push(
			`tarball is ${sizes.packedBytes} B, over the ${SIZE_BUDGET.packedBytes} B budget`,
		);
	if (sizes.unpackedBytes > SIZE_BUDGET.unpackedBytes)
		problems.push(
			`unpacked size is ${sizes.unpackedBytes} B, over the ${SIZE_BUDGET.unpackedBytes} B budget`,
		);
	return problems;
}

/**
 * The files package.json's `n8n` section points to, and what n8n reads beside them: each node's
 * codex (`<Node>.node.json` next to `<Node>.node.js`), and each `file:` icon a node or credential
 * names (resolved from its own folder, as n8n does); nodes must name a light and a dark icon.
 * @param {string} dir @param {Record<string, any>} manifest
 */
export function checkN8nAssets(dir, manifest) {
	const problems = [];
	const nodes = /** @type {string[]} */ (manifest.n8n?.nodes ?? []);
	const credentials = /** @type {string[]} */ (manifest.n8n?.credentials ?? []);
	if (nodes.length === 0) problems.push('package.json n8n.nodes lists no node');
	for (const [kind, file] of [
		...nodes.map((file) => /** @type {const} */ (['node', file])),
		...credentials.map((file) => /** @type {const} */ (['credential', file])),
	]) {
		const absolute = path.join(dir, file);
		if (!existsSync(absolute)) {
			problems.push(`${kind} ${file} (named in package.json n8n) is missing`);
			continue;
		}
		if (kind === 'node') {
			const codex = file.replace(/\.js$/, '.json');
			if (!existsSync(path.join(dir, codex))) problems.push(`codex ${codex} of ${file} is missing`);
		}
		const source = readFileSync(absolute, 'utf8');
		const icons = [...source.matchAll(/(\w+)\s*:\s*['"]file:([^'"]+)['"]/g)].map((match) => ({
			key: match[1],
			file: path.posix.join(path.posix.dirname(file), match[2]),
		}));
		if (icons.length === 0) problems.push(`${kind} ${file} names no file: icon`);
		if (
			kind === 'node' &&
			!(icons.some((i) => i.key === 'light') && icons.some((i) => i.key === 'dark'))
		)
			problems.push(`node ${file} does not name both a light and a dark icon`);
		for (const icon of icons) {
			if (!existsSync(path.join(dir, icon.file)))
				problems.push(`icon ${icon.file} (${icon.key} of ${file}) is missing`);
		}
	}
	return problems;
}

/** Where the scanner's own dependencies resolve from, so the lint uses its ESLint and plugin versions. */
const SCANNER_ENTRY = path.join(
	PROJECT_ROOT,
	'node_modules',
	'@n8n',
	'scan-community-package',
	'scanner',
	'scanner.mjs',
);

/**
 * The installed package.json of a package as the scanner resolves it (Node's lookup order from its
 * folder). @param {string} name
 */
function scannerDependency(name) {
	const lookup = createRequire(SCANNER_ENTRY).resolve.paths(name) ?? [];
	const dir = lookup.find((modules) => existsSync(path.join(modules, name, 'package.json')));
	if (!dir) throw new Error(`${name} is not installed: run npm install`);
	return JSON.parse(readFileSync(path.join(dir, name, 'package.json'), 'utf8'));
}

/** The versions the lint runs with: the scanner's own ESLint and plugin, as installed. */
export function scannerVersions() {
	return {
		scanner: JSON.parse(readFileSync(path.join(SCANNER_ENTRY, '..', '..', 'package.json'), 'utf8'))
			.version,
		plugin: scannerDependency('@n8n/eslint-plugin-community-nodes').version,
		eslint: scannerDependency('eslint').version,
	};
}

/**
 * Lints like `@n8n/scan-community-package` 0.32.0's `analyzePackage` (scanner/scanner.mjs): its own
 * ESLint, its flat config (`buildScanConfig`: @n8n/eslint-plugin-community-nodes' recommended rules,
 * no-console, eslint-plugin-n8n-nodes-base), `allowInlineConfig: false` (an `eslint-disable` comment
 * changes nothing) and its file globs. The scanner fails on errors only; this also reports warnings,
 * which fail the scan like `npm run lint` fails on them.
 * The scanner lints two things (analyzePackageByName): the source its provenance names, with
 * `SOURCE_FILE_PATTERNS`, and the tarball, with `**\/*.js` and `package.json`.
 * @param {string} dir @param {'source' | 'tarball'} leg
 */
export async function lintLikeTheScanner(dir, leg) {
	const fromScanner = createRequire(SCANNER_ENTRY);
	// Importing the scanner creates an empty temp folder (tmp.dirSync); have `tmp` remove it on exit.
	fromScanner('tmp').setGracefulCleanup();
	const { buildScanConfig, SOURCE_FILE_PATTERNS } = await import(SCANNER_ENTRY);
	const patterns = leg === 'source' ? SOURCE_FILE_PATTERNS : ['**/*.js', 'package.json'];
	const { ESLint } = fromScanner('eslint');
	const glob = fromScanner('fast-glob');
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	const problems = results.flatMap((/** @type {any} */ result) =>
		result.messages.map(
			(/** @type {any} */ m) =>
				`${path.relative(dir, result.filePath)}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.message} (${m.ruleId})`,
		),
	);
	return { files: files.length, problems };
}
