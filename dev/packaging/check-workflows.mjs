// @ts-check
/**
 * Checks the GitHub Actions workflows offline (they cannot run here): valid YAML, actions pinned to a
 * full commit SHA, a Node version that package.json's engines allows, the check steps in order, and
 * for publishing: only on a version tag, `id-token: write` with read-only contents, and
 * `npm publish --provenance --access public` as the last step, after every check.
 * `node dev/packaging/check-workflows.mjs` checks .github/workflows/{ci,publish}.yml; exits 1 on a problem.
 * Tested on broken copies by test/package/workflows.test.mjs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

import { PROJECT_ROOT } from '../paths.mjs';

/** The checks both workflows run, in this order (the README's commands). */
export const CHECK_COMMANDS = [
	'npm ci',
	'npm run lint',
	'npm run typecheck',
	'npm run build',
	'npm test',
	'npm run scan',
];
export const PUBLISH_COMMAND = 'npm publish --provenance --access public';

/**
 * Parses YAML strictly (duplicate keys and syntax errors are problems).
 * @param {string} text @param {string[]} problems @returns {any}
 */
function parseYaml(text, problems) {
	const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
	for (const error of document.errors)
		problems.push(`invalid YAML: ${error.message.split('\n')[0]}`);
	return document.errors.length ? undefined : document.toJS();
}

/** `[major, minor, patch]` of "20.18.1", "24", "24.x", ">=20.18.1". @param {string} text */
function versionOf(text) {
	const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
	return match ? [1, 2, 3].map((i) => Number(match[i] ?? 0)) : undefined;
}

/** @param {number[]} a @param {number[]} b */
const atLeast = (a, b) => {
	for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
	return true;
};

/**
 * Problems of one job: pinned actions, Node version, the check commands in order.
 * @param {any} job @param {string} enginesNode e.g. ">=20.18.1" @param {any} matrix
 */
function checkJob(job, enginesNode, matrix) {
	const problems = [];
	const steps = /** @type {any[]} */ (Array.isArray(job?.steps) ? job.steps : []);
	if (steps.length === 0) problems.push('the job has no steps');
	const uses = steps.filter((s) => s.uses).map((s) => String(s.uses));
	for (const action of uses) {
		if (!/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(action))
			problems.push(`action ${action} is not pinned to a full commit SHA`);
	}
	for (const needed of ['actions/checkout', 'actions/setup-node']) {
		if (!uses.some((u) => u.startsWith(`${needed}@`))) problems.push(`no ${needed} step`);
	}
	const floor = versionOf(enginesNode);
	const setupNode = steps.find((s) => String(s.uses ?? '').startsWith('actions/setup-node@'));
	const declared = String(setupNode?.with?.['node-version'] ?? '');
	const matrixRef = /^\$\{\{\s*matrix\.(\w+)\s*\}\}$/.exec(declared);
	/** @type {string[]} */
	const versions = matrixRef ? (matrix?.[matrixRef[1]] ?? []).map(String) : [declared];
	if (setupNode && (!floor || versions.length === 0 || versions.some((v) => !v)))
		problems.push(`setup-node has no node-version (engines: ${enginesNode})`);
	for (const version of versions) {
		const parsed = versionOf(version);
		if (floor && parsed && !atLeast(parsed, floor))
			problems.push(`node-version ${version} is below package.json engines ${enginesNode}`);
	}
	const runs = steps.map((s) => String(s.run ?? ''));
	let last = -1;
	let lastCommand = '';
	for (const command of CHECK_COMMANDS) {
		const at = runs.findIndex((run) => run.split('\n').some((line) => line.trim() === command));
		if (at < 0) problems.push(`no step runs \`${command}\``);
		else if (at < last) problems.push(`\`${command}\` runs before \`${lastCommand}\``);
		else [last, lastCommand] = [at, command];
	}
	return { problems, runs, checksEnd: last };
}

/**
 * @param {{ ci: string, publish: string, enginesNode: string }} input
 * @returns {{ ci: string[], publish: string[] }}
 */
export function checkWorkflows(input) {
	/** @type {string[]} */
	const ci = [];
	const ciFlow = parseYaml(input.ci, ci);
	if (ciFlow) {
		const on = ciFlow.on ?? {};
		for (const event of ['push', 'pull_request'])
			if (!(event in on)) ci.push(`does not run on ${event}`);
		const jobs = Object.values(ciFlow.jobs ?? {});
		if (jobs.length === 0) ci.push('has no job');
		for (const job of jobs)
			ci.push(...checkJob(job, input.enginesNode, job?.strategy?.matrix).problems);
	}

	/** @type {string[]} */
	const publish = [];
	const flow = parseYaml(input.publish, publish);
	if (flow) {
		const on = flow.on ?? {};
		const tags = on.push?.tags;
		if (!Array.isArray(tags) || tags.length === 0) publish.push('does not run on pushed tags');
		if (Object.keys(on).some((event) => event !== 'push') || on.push?.branches)
			publish.push(`runs on more than a version tag: ${JSON.stringify(on)}`);
		const jobs = Object.entries(flow.jobs ?? {});
		if (jobs.length !== 1) publish.push(`has ${jobs.length} jobs, expected one publish job`);
		for (const [name, job] of jobs) {
			const permissions = { ...(flow.permissions ?? {}), ...(job?.permissions ?? {}) };
			if (permissions['id-token'] !== 'write')
				publish.push(`job ${name} lacks permissions id-token: write (npm provenance)`);
			if (permissions.contents !== 'read')
				publish.push(`job ${name} must have permissions contents: read`);
			for (const [scope, level] of Object.entries(permissions)) {
				if (scope !== 'id-token' && level !== 'read' && level !== 'none')
					publish.push(`job ${name} grants ${scope}: ${level}`);
			}
			const { problems, runs, checksEnd } = checkJob(job, input.enginesNode, job?.strategy?.matrix);
			publish.push(...problems);
			const at = runs.findIndex((run) => run.trim() === PUBLISH_COMMAND);
			if (at < 0) publish.push(`no step runs exactly \`${PUBLISH_COMMAND}\``);
			else if (at !== runs.length - 1 || at < checksEnd)
				publish.push('the publish step must be the last, after every check');
			const setupNode = (job?.steps ?? []).find((/** @type {any} */ s) =>
				String(s.uses ?? '').startsWith('actions/setup-node@'),
			);
			if (setupNode?.with?.['registry-url'] !== 'https://registry.npmjs.org')
				publish.push('setup-node must set registry-url: https://registry.npmjs.org');
		}
	}
	return { ci, publish };
}

// `node dev/packaging/check-workflows.mjs`: check this repository's workflow files.
if (
	process.argv[1] &&
	import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href
) {
	const dir = path.join(PROJECT_ROOT, '.github', 'workflows');
	const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
	const result = checkWorkflows({
		ci: readFileSync(path.join(dir, 'ci.yml'), 'utf8'),
		publish: readFileSync(path.join(dir, 'publish.yml'), 'utf8'),
		enginesNode: manifest.engines?.node ?? '',
	});
	for (const [file, problems] of Object.entries(result)) {
		console.log(
			problems.length
				? `✗ .github/workflows/${file}.yml:\n${problems.map((p) => `    ${p}`).join('\n')}`
				: `✓ .github/workflows/${file}.yml: valid YAML, pinned actions, Node within engines ${manifest.engines?.node}, ${CHECK_COMMANDS.join(' → ')}${file === 'publish' ? ` → ${PUBLISH_COMMAND}, on version tags, id-token: write, contents: read` : ', on push and pull_request'}`,
		);
	}
	process.exitCode = result.ci.length + result.publish.length > 0 ? 1 : 0;
}
