// @ts-check
/**
 * `npm run scan`: packs the package as npm publishes it, unpacks the tarball into a temp folder and
 * runs on it what n8n's verification runs or asks for (package-checks.mjs), offline: the lint of
 * `@n8n/scan-community-package` (which itself downloads the published version from npm) on the
 * tarball and on the source, then the manifest, file list, assets, leftovers and size budget.
 * Prints every check with its figures; exits 1 when any check finds a problem.
 * `scanTarball` is the same run on any tarball (test/package/scan.test.mjs plants problems in one).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	checkDependencies,
	checkFileList,
	checkLeftovers,
	checkLifecycleScripts,
	checkN8nAssets,
	checkOverrides,
	checkReadme,
	checkSize,
	lintLikeTheScanner,
	listFiles,
	readManifest,
	scannerVersions,
	SIZE_BUDGET,
} from './package-checks.mjs';
import { PROJECT_ROOT } from '../paths.mjs';

/**
 * @typedef {{ id: string, title: string, detail: string, problems: string[] }} CheckResult
 * @typedef {{ checks: CheckResult[], sizes: { packedBytes: number, unpackedBytes: number, files: number }, largest: Array<{ file: string, bytes: number }> }} ScanReport
 */

/** Runs a command, failing with its output. @param {string} command @param {string[]} args @param {string} cwd */
function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
	return result.stdout;
}

/**
 * `npm pack` of a package folder into `destination`: the tarball's path and npm's integrity of it
 * (what the registry will publish as `dist.integrity`).
 * @param {string} packageDir @param {string} destination @returns {{ file: string, integrity: string }}
 */
export function packInto(packageDir, destination) {
	const [info] = JSON.parse(
		run('npm', ['pack', '--json', '--pack-destination', destination], packageDir),
	);
	return { file: path.join(destination, info.filename), integrity: info.integrity };
}

/** Unpacks a tarball the way n8n does (community-packages.service.js downloadPackage). @param {string} tarball @param {string} dir */
export function unpack(tarball, dir) {
	mkdirSync(dir, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], dir);
	return dir;
}

/**
 * The scanner's two lint legs: the unpacked tarball and the source.
 * @param {string} dir @param {string} sourceDir @returns {Promise<CheckResult[]>}
 */
async function lintChecks(dir, sourceDir) {
	const versions = scannerVersions();
	const tarball = await lintLikeTheScanner(dir, 'tarball');
	const source = await lintLikeTheScanner(sourceDir, 'source');
	return [
		{
			id: 'lint-tarball',
			title: `n8n scanner lint on the tarball (@n8n/scan-community-package ${versions.scanner}, @n8n/eslint-plugin-community-nodes ${versions.plugin}, eslint ${versions.eslint}, inline config off)`,
			detail: `${tarball.files} files (**/*.js, package.json)`,
			problems: tarball.problems,
		},
		{
			id: 'lint-source',
			title: 'n8n scanner lint on the source (its provenance leg), same config',
			detail: `${source.files} files (package.json, nodes/, credentials/)`,
			problems: source.problems,
		},
	];
}

/**
 * Every check on a tarball; `sourceDir` is the source the scanner's first leg lints. `lint: false`
 * leaves out both lint legs (seconds each), for tests of the other checks.
 * @param {string} tarball @param {{ sourceDir: string, lint?: boolean }} options @returns {Promise<ScanReport>}
 */
export async function scanTarball(tarball, options) {
	const scratch = mkdtempSync(path.join(tmpdir(), 'im-scan-'));
	try {
		const dir = unpack(tarball, path.join(scratch, 'package'));
		const files = listFiles(dir);
		const manifest = readManifest(dir);
		const sizes = {
			packedBytes: statSync(tarball).size,
			unpackedBytes: files.reduce((sum, f) => sum + f.bytes, 0),
			files: files.length,
		};
		const n8n = manifest.n8n ?? {};
		/** @type {CheckResult[]} */
		const checks = options.lint === false ? [] : await lintChecks(dir, options.sourceDir);
		checks.push(
			{
				id: 'dependencies',
				title: 'no runtime dependencies',
				detail: `peerDependencies ${JSON.stringify(manifest.peerDependencies ?? {})}`,
				problems: checkDependencies(manifest),
			},
			{
				id: 'lifecycle-scripts',
				title: 'no install, pack or publish lifecycle scripts',
				detail: `scripts: ${Object.keys(manifest.scripts ?? {}).join(', ') || 'none'}`,
				problems: checkLifecycleScripts(manifest),
			},
			{ id: 'overrides', title: 'no overrides', detail: '', problems: checkOverrides(manifest) },
			{
				id: 'files',
				title: 'only dist/, index.js, index.d.ts, README, LICENSE, package.json',
				detail: `${files.length} files`,
				problems: checkFileList(files),
			},
			{
				id: 'n8n-assets',
				title: 'package.json n8n section: node and credential files, codex, light and dark icons',
				detail: `${(n8n.nodes ?? []).length} nodes, ${(n8n.credentials ?? []).length} credentials`,
				problems: checkN8nAssets(dir, manifest),
			},
			{
				id: 'readme',
				title: 'README.md shipped, its links absolute (they must work on the npm page)',
				detail: '',
				problems: checkReadme(dir),
			},
			{
				id: 'leftovers',
				title: 'no build leftovers (*.tsbuildinfo, dist/**/package.json, compiled tests)',
				detail: '',
				problems: checkLeftovers(files),
			},
			{
				id: 'size',
				title: `size budget: tarball ≤ ${SIZE_BUDGET.packedBytes} B, unpacked ≤ ${SIZE_BUDGET.unpackedBytes} B`,
				detail: `tarball ${sizes.packedBytes} B, unpacked ${sizes.unpackedBytes} B`,
				problems: checkSize(sizes),
			},
		);
		const largest = [...files].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
		return { checks, sizes, largest };
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** @param {ScanReport} report @param {(line: string) => void} print */
export function printReport(report, print) {
	for (const check of report.checks) {
		print(
			`${check.problems.length ? '✗' : '✓'} ${check.title}${check.detail ? `: ${check.detail}` : ''}`,
		);
		for (const problem of check.problems) print(`    ${problem}`);
	}
	const { packedBytes, unpackedBytes, files } = report.sizes;
	print(
		`Sizes: tarball ${packedBytes} B (${Math.round((100 * packedBytes) / SIZE_BUDGET.packedBytes)} % of budget), unpacked ${unpackedBytes} B (${Math.round((100 * unpackedBytes) / SIZE_BUDGET.unpackedBytes)} %), ${files} files; largest: ${report.largest.map((f) => `${f.file} ${f.bytes} B`).join(', ')}`,
	);
}

/** @param {string} name */
const argument = (name) => {
	const index = process.argv.indexOf(name);
	return index > 0 ? process.argv[index + 1] : undefined;
};

// `node dev/packaging/scan-package.mjs`: scan this package as npm would publish it now (run `npm run build`
// first). `--tarball <file> --source <dir>` scans another tarball and source, `--json` prints the
// report as JSON (the self-test's way in: the lint must run outside jest, whose NODE_ENV=test makes
// eslint-plugin-n8n-nodes-base read every file name as "Test.node.ts").
if (
	process.argv[1] &&
	import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href
) {
	const scratch = mkdtempSync(path.join(tmpdir(), 'im-pack-'));
	try {
		const tarball = argument('--tarball') ?? packInto(PROJECT_ROOT, scratch).file;
		const sourceDir = argument('--source') ?? PROJECT_ROOT;
		const json = process.argv.includes('--json');
		if (!json) console.log(`Scanning ${path.basename(tarball)} (source ${sourceDir})`);
		const report = await scanTarball(tarball, { sourceDir });
		const failed = report.checks.filter((c) => c.problems.length > 0);
		if (json) console.log(JSON.stringify(report));
		else {
			printReport(report, (line) => console.log(line));
			console.log(
				failed.length
					? `scan: FAILED (${failed.map((c) => c.id).join(', ')})`
					: `scan: passed (${report.checks.length} checks)`,
			);
		}
		process.exitCode = failed.length ? 1 : 0;
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}
