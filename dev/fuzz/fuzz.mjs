// @ts-check
/**
 * `npm run fuzz -- --runs 2000 --seed 1 [--plant <module.mjs>] [--save-dir <dir>] [--shrink-kinds 3]`: the model-based
 * run of test/model (random worlds and fault schedules through the real node, in virtual time). Ends
 * with `model: N schedules in W worlds, V violations` and exits 0 only when V = 0. On a violation it
 * prints the seed, the path and the shrunk schedule of the first schedule of each kind of violation
 * (at most --shrink-kinds of them), and saves each (default test/model/regressions/),
 * where test/model/regressions.test.mjs replays it. `--plant` loads a module and calls its `install()`
 * first (a bug planted in the built node), and the run says how many schedules it took to find it.
 * Run `npm run build` first (the npm script does).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { PROJECT_ROOT } from '../paths.mjs';

const { values } = parseArgs({
	options: {
		runs: { type: 'string', default: '2000' },
		seed: { type: 'string', default: '1' },
		plant: { type: 'string' },
		'save-dir': {
			type: 'string',
			default: path.join(PROJECT_ROOT, 'test', 'model', 'regressions'),
		},
		quiet: { type: 'boolean', default: false },
		'shrink-kinds': { type: 'string', default: '3' },
	},
});
const runs = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
	console.error(
		'usage: npm run fuzz -- --runs <positive whole number> --seed <whole number> [--plant module.mjs]',
	);
	process.exit(2);
}

if (values.plant) {
	const plant = await import(pathToFileURL(path.resolve(values.plant)).href).catch((error) => {
		console.error(`--plant ${values.plant}: cannot load it (${String(error.message ?? error)})`);
		process.exit(2);
	});
	if (typeof plant.install !== 'function') {
		console.error(`--plant ${values.plant}: the module exports no install()`);
		process.exit(2);
	}
	await plant.install();
	console.log(`planted: ${values.plant}`);
}

const { fuzz } = await import('../../test/model/runner.mjs');
const started = Date.now();
const report = await fuzz({
	runs,
	seed,
	shrinkKinds: Number(values['shrink-kinds']),
	onProgress: (done, violating) => {
		if (!values.quiet && done % 100 === 0) {
			console.log(
				`  ${done}/${runs} schedules, ${violating} violating, ${((Date.now() - started) / 1000).toFixed(0)} s`,
			);
		}
	},
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);

for (const [kind, count] of Object.entries(report.kinds).sort((a, b) => b[1] - a[1])) {
	console.log(`  ${String(count).padStart(6)} schedules: ${kind}`);
}
if (report.firstAt !== undefined) console.log(`first violation after ${report.firstAt} schedules`);
for (const shrunk of report.shrunk) {
	const { finding } = shrunk;
	const saved = {
		seed: shrunk.seed,
		path: shrunk.path,
		kind: shrunk.kind,
		violations: finding.violations,
		schedule: finding.schedule,
	};
	const text = `${JSON.stringify(saved, null, '\t')}\n`;
	const name = `seed${seed}-${createHash('sha256').update(JSON.stringify(finding.schedule)).digest('hex').slice(0, 10)}.json`;
	mkdirSync(values['save-dir'], { recursive: true });
	const file = path.join(values['save-dir'], name);
	writeFileSync(file, text);
	console.log(`shrunk: seed ${saved.seed}, path ${saved.path}\n${finding.violations.join('\n')}`);
	console.log(JSON.stringify(finding.schedule));
	console.log(`saved: ${path.relative(PROJECT_ROOT, file)}`);
}
console.log(
	`model: ${report.schedules} schedules in ${report.worlds} worlds, ${report.violating} violations (${seconds} s)`,
);
process.exit(report.violating === 0 ? 0 : 1);
