// @ts-check
/**
 * `npm run scan` fails for real: each check is shown a tarball with one planted problem (made from a
 * copy of this package's own `npm pack`, never touching the package) and must name exactly that
 * problem; the untouched tarball passes every check. The lint cases run `dev/packaging/scan-package.mjs` itself
 * in a child process without jest's NODE_ENV=test (which changes eslint-plugin-n8n-nodes-base's rules).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { packInto, scanTarball, unpack } from '../../dev/packaging/scan-package.mjs';
import { SIZE_BUDGET } from '../../dev/packaging/package-checks.mjs';
import { PROJECT_ROOT } from '../../dev/paths.mjs';

/** @type {string} */
let scratch;
/** @type {string} */
let pristine;
let plants = 0;

beforeAll(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'im-scan-test-'));
	pristine = unpack(
		packInto(PROJECT_ROOT, scratch).file,
		path.join(scratch, 'pristine', 'package'),
	);
});

afterAll(() => {
	if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * A tarball of the package with one change made to its unpacked copy.
 * @param {(dir: string) => void} plant @returns {string}
 */
function plantedTarball(plant) {
	const root = path.join(scratch, `plant-${++plants}`);
	const dir = path.join(root, 'package');
	cpSync(pristine, dir, { recursive: true });
	plant(dir);
	const tarball = path.join(root, 'planted.tgz');
	const tar = spawnSync('tar', ['-czf', tarball, '-C', root, 'package'], { encoding: 'utf8' });
	expect(tar.stderr).toBe('');
	return tarball;
}

/** @param {string} dir @param {(manifest: Record<string, any>) => void} change */
function editManifest(dir, change) {
	const file = path.join(dir, 'package.json');
	const manifest = JSON.parse(readFileSync(file, 'utf8'));
	change(manifest);
	writeFileSync(file, JSON.stringify(manifest, null, 2));
}

/**
 * `node dev/packaging/scan-package.mjs --json` on a tarball and a source folder, outside jest's environment.
 * @param {string} tarball @param {string} sourceDir
 * @returns {{ code: number | null, report: import('../../dev/packaging/scan-package.mjs').ScanReport }}
 */
function scanInChild(tarball, sourceDir) {
	const { NODE_ENV: _jest, ...env } = process.env;
	const child = spawnSync(
		process.execPath,
		[
			path.join(PROJECT_ROOT, 'dev', 'packaging', 'scan-package.mjs'),
			'--tarball',
			tarball,
			'--source',
			sourceDir,
			'--json',
		],
		{ encoding: 'utf8', env },
	);
	expect(child.stderr).toBe('');
	return { code: child.status, report: JSON.parse(child.stdout) };
}

/** The ids of the checks that found problems, and all their problems. @param {import('../../dev/packaging/scan-package.mjs').ScanReport} report */
const failures = (report) => ({
	failed: report.checks.filter((c) => c.problems.length > 0).map((c) => c.id),
	problems: report.checks.flatMap((c) => c.problems),
});

test('the package as packed passes every check, lint included', async () => {
	const { code, report } = scanInChild(packInto(PROJECT_ROOT, scratch).file, PROJECT_ROOT);
	expect(report.checks.map((c) => c.id)).toEqual([
		'lint-tarball',
		'lint-source',
		'dependencies',
		'lifecycle-scripts',
		'overrides',
		'files',
		'n8n-assets',
		'leftovers',
		'size',
	]);
	expect(failures(report)).toEqual({ failed: [], problems: [] });
	expect(code).toBe(0);
}, 60_000);

describe.each(
	/** @type {Array<[string, (dir: string) => void, string, RegExp]>} */ ([
		[
			'a runtime dependency',
			(dir) => editManifest(dir, (m) => (m.dependencies = { axios: '1.7.0' })),
			'dependencies',
			/package\.json has dependencies: \{"axios":"1\.7\.0"\}/,
		],
		[
			'an optional dependency',
			(dir) => editManifest(dir, (m) => (m.optionalDependencies = { sharp: '0.33.0' })),
			'dependencies',
			/optionalDependencies/,
		],
		[
			'a postinstall script',
			(dir) => editManifest(dir, (m) => (m.scripts.postinstall = 'node fetch-binary.js')),
			'lifecycle-scripts',
			/lifecycle script "postinstall": node fetch-binary\.js/,
		],
		[
			'a prepack script',
			(dir) => editManifest(dir, (m) => (m.scripts.prepack = 'npm run build')),
			'lifecycle-scripts',
			/"prepack"/,
		],
		[
			'overrides',
			(dir) => editManifest(dir, (m) => (m.overrides = { 'n8n-workflow': '1.0.0' })),
			'overrides',
			/package\.json has overrides/,
		],
		[
			'a file outside the allowed set',
			(dir) => writeFileSync(path.join(dir, '.env'), 'SIGN_SECRET_KEY=x\n'),
			'files',
			/^\.env is not part of the package/,
		],
		[
			'a missing dark icon',
			(dir) => rmSync(path.join(dir, 'dist', 'icons', 'intellectMoney.dark.svg')),
			'n8n-assets',
			/icon dist\/icons\/intellectMoney\.dark\.svg \(dark of dist\/nodes\/IntellectMoney\/IntellectMoney\.node\.js\) is missing/,
		],
		[
			'a missing codex file',
			(dir) =>
				rmSync(
					path.join(
						dir,
						'dist',
						'nodes',
						'IntellectMoneyTrigger',
						'IntellectMoneyTrigger.node.json',
					),
				),
			'n8n-assets',
			/codex dist\/nodes\/IntellectMoneyTrigger\/IntellectMoneyTrigger\.node\.json of .* is missing/,
		],
		[
			'a node file package.json names but the tarball lacks',
			(dir) => editManifest(dir, (m) => m.n8n.nodes.push('dist/nodes/Gone/Gone.node.js')),
			'n8n-assets',
			/node dist\/nodes\/Gone\/Gone\.node\.js \(named in package\.json n8n\) is missing/,
		],
		[
			'a node with a light icon only',
			(dir) => {
				const file = path.join(dir, 'dist', 'nodes', 'IntellectMoney', 'IntellectMoney.node.js');
				writeFileSync(file, readFileSync(file, 'utf8').replace(/\n\s*dark: 'file:[^']+',/, ''));
			},
			'n8n-assets',
			/does not name both a light and a dark icon/,
		],
		[
			'tsc leftovers',
			(dir) => {
				writeFileSync(path.join(dir, 'dist', 'tsconfig.tsbuildinfo'), '{}');
				cpSync(path.join(dir, 'package.json'), path.join(dir, 'dist', 'package.json'));
			},
			'leftovers',
			/dist\/package\.json .* is a build leftover/,
		],
		[
			'a tarball over the size budget',
			(dir) => writeFileSync(path.join(dir, 'dist', 'blob.bin'), randomBytes(200_000)),
			'size',
			new RegExp(`tarball is \\d+ B, over the ${SIZE_BUDGET.packedBytes} B budget`),
		],
	]),
)('a tarball with %s', (_name, plant, checkId, message) => {
	test(`fails the "${checkId}" check, and only it`, async () => {
		const report = await scanTarball(plantedTarball(plant), {
			sourceDir: PROJECT_ROOT,
			lint: false,
		});
		const { failed, problems } = failures(report);
		expect(failed).toEqual([checkId]);
		expect(problems.some((p) => message.test(p))).toBe(true);
	});
});

describe('the scanner lint, with inline eslint comments not honoured', () => {
	test('a restricted global in the tarball fails despite eslint-disable; so does the runtime dependency rule', async () => {
		const tarball = plantedTarball((dir) => {
			appendFileSync(
				path.join(dir, 'dist', 'nodes', 'IntellectMoney', 'IntellectMoney.node.js'),
				'\n/* eslint-disable */\n// eslint-disable-next-line\nsetTimeout(() => undefined, 1);\n',
			);
			editManifest(dir, (m) => (m.dependencies = { axios: '1.7.0' }));
		});
		const { code, report } = scanInChild(tarball, PROJECT_ROOT);
		expect(code).toBe(1);
		const lint = report.checks.find((c) => c.id === 'lint-tarball');
		expect(lint?.problems).toEqual(
			expect.arrayContaining([
				expect.stringMatching(
					/^dist\/nodes\/IntellectMoney\/IntellectMoney\.node\.js:\d+:1 error Use of restricted global 'setTimeout'.*\(@n8n\/community-nodes\/no-restricted-globals\)$/,
				),
				expect.stringMatching(
					/^package\.json:.* error .*\(@n8n\/community-nodes\/no-runtime-dependencies\)$/,
				),
			]),
		);
		expect(failures(report).failed).toEqual(['lint-tarball', 'dependencies']);
	}, 60_000);

	test('a console call in the source fails the source leg despite eslint-disable', async () => {
		const source = path.join(scratch, 'source');
		for (const entry of ['package.json', 'nodes', 'credentials', 'icons'])
			cpSync(path.join(PROJECT_ROOT, entry), path.join(source, entry), { recursive: true });
		appendFileSync(
			path.join(source, 'nodes', 'IntellectMoney', 'IntellectMoney.node.ts'),
			'\n// eslint-disable-next-line no-console\nconsole.log("debug");\n',
		);
		const { code, report } = scanInChild(packInto(PROJECT_ROOT, scratch).file, source);
		expect(code).toBe(1);
		expect(failures(report)).toEqual({
			failed: ['lint-source'],
			problems: [
				expect.stringMatching(
					/^nodes\/IntellectMoney\/IntellectMoney\.node\.ts:\d+:1 error Unexpected console statement.*\(no-console\)$/,
				),
			],
		});
	}, 60_000);
});
