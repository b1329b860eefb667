// @ts-check
/**
 * Summary of a V8 CPU profile (the inspector's Profiler.stop, as written by run.mjs): self
 * time grouped by where it goes — this node, n8n-core's engine, n8n's HTTP helper and the HTTP
 * libraries under it, n8n-workflow's expressions, Node's own http/net, GC — and the top functions.
 * `node dev/bench/profile.mjs <file.cpuprofile> [items]` prints the summary of a saved profile.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} CpuProfile
 * @typedef {{ name: string, ms: number, share: number }} Share
 * @typedef {{ totalMs: number, categories: Share[], topFunctions: Share[], underNode: Share[] }} ProfileSummary
 */

const HTTP_LIBRARIES = [
	'axios',
	'follow-redirects',
	'form-data',
	'proxy-from-env',
	'combined-stream',
	'asynckit',
	'mime-types',
	'mime-db',
	'delayed-stream',
	'http-proxy-agent',
	'https-proxy-agent',
	'agent-base',
];
const EXPRESSION_LIBRARIES = [
	'@n8n/tournament',
	'esprima-next',
	'recast',
	'ast-types',
	'jmespath',
	'luxon',
	'lodash',
	'@n8n/expression-runtime',
	'js-base64',
	'jssha',
	'transliteration',
	'title-case',
];

/** The package a file belongs to: the part after the last node_modules/. @param {string} url */
function packageOf(url) {
	const at = url.lastIndexOf('node_modules/');
	if (at === -1) return undefined;
	const parts = url.slice(at + 'node_modules/'.length).split('/');
	return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** A file as people read it: from its package, or from the project root. @param {string} url */
function shortPath(url) {
	const file = url.replace(/^file:\/\//, '');
	const at = file.lastIndexOf('node_modules/');
	if (at !== -1) return file.slice(at + 'node_modules/'.length);
	return file.startsWith(PROJECT_ROOT) ? path.relative(PROJECT_ROOT, file) : file;
}

/** Where one stack frame's self time goes. @param {CallFrame} frame */
export function categoryOf(frame) {
	const { functionName, url } = frame;
	if (functionName === '(garbage collector)') return 'GC';
	if (functionName === '(idle)') return 'idle (waiting for the sandbox)';
	if (functionName === '(program)') return 'V8 / native (program)';
	if (functionName === '(root)') return 'root';
	const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
	if (file.startsWith(path.join(PROJECT_ROOT, 'dist', 'nodes'))) return 'this node (nodes/)';
	if (file.startsWith(path.join(PROJECT_ROOT, 'dist', 'credentials'))) {
		return "this node's credential (signing)";
	}
	const pkg = packageOf(file);
	if (pkg === 'n8n-core') {
		return /request-helper|request-helpers/.test(file)
			? "n8n's HTTP helper (n8n-core request helpers)"
			: 'n8n-core engine (WorkflowExecute, node context)';
	}
	if (pkg === '@n8n/backend-network') return "n8n's HTTP helper (@n8n/backend-network)";
	if (pkg !== undefined && HTTP_LIBRARIES.includes(pkg))
		return "axios & co (under n8n's HTTP helper)";
	if (pkg === 'n8n-workflow' || (pkg !== undefined && EXPRESSION_LIBRARIES.includes(pkg))) {
		return 'n8n-workflow (parameters, expressions)';
	}
	if (pkg === 'n8n-nodes-base') return 'n8n-nodes-base (the peer nodes)';
	if (pkg === 'undici') return 'undici (the floor)';
	if (pkg !== undefined) return `other package: ${pkg}`;
	if (file.startsWith('node:')) return 'Node.js core (http, net, streams)';
	if (file === '') return 'V8 builtins (JSON, RegExp, crypto bindings…)';
	if (file.startsWith(path.join(PROJECT_ROOT, 'dev'))) return 'bench runner (dev/)';
	return 'other';
}

/**
 * Self time by category and the functions with the most self time.
 * @param {CpuProfile} profile @param {number} [top]
 * @returns {ProfileSummary}
 */
export function summarizeProfile(profile, top = 15) {
	/** @type {Map<number, ProfileNode>} */
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	/** @type {Map<number, number>} node id → self µs */
	const selfUs = new Map();
	for (let i = 0; i < profile.samples.length; i++) {
		// timeDeltas[i + 1] is the time until the next sample: how long this sample's frame ran.
		const delta = profile.timeDeltas[i + 1] ?? 0;
		selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
	}
	/** @type {Map<number, number>} child id → parent id */
	const parentOf = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parentOf.set(child, node.id);
	/** @param {CallFrame} frame */
	const isOurs = (frame) => {
		const category = categoryOf(frame);
		return category === 'this node (nodes/)' || category === "this node's credential (signing)";
	};
	/**
	 * The time spent while the node's code is on the stack, by the nearest node function and where
	 * the time itself went: what the node costs including what it calls (parameters, HTTP helper).
	 * @type {Map<string, number>}
	 */
	const underNode = new Map();
	/** @type {Map<string, number>} */
	const categories = new Map();
	/** @type {Map<string, number>} */
	const functions = new Map();
	let totalUs = 0;
	for (const [id, us] of selfUs) {
		const node = byId.get(id);
		if (!node) continue;
		const category = categoryOf(node.callFrame);
		if (category === 'root') continue;
		totalUs += us;
		categories.set(category, (categories.get(category) ?? 0) + us);
		const { functionName, url, lineNumber } = node.callFrame;
		const where = url ? `${shortPath(url)}:${lineNumber + 1}` : '';
		const name = `${functionName || '(anonymous)'} ${where}`.trim();
		functions.set(name, (functions.get(name) ?? 0) + us);
		for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parentOf.get(at)) {
			const frame = byId.get(at)?.callFrame;
			if (frame && isOurs(frame)) {
				const key = `${frame.functionName || '(anonymous)'} → ${category}`;
				underNode.set(key, (underNode.get(key) ?? 0) + us);
				break;
			}
		}
	}
	/** @param {Map<string, number>} map @returns {Share[]} */
	const ranked = (map) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.map(([name, us]) => ({ name, ms: us / 1000, share: totalUs ? us / totalUs : 0 }));
	return {
		totalMs: totalUs / 1000,
		categories: ranked(categories),
		topFunctions: ranked(functions).slice(0, top),
		underNode: ranked(underNode).slice(0, top),
	};
}

/**
 * The summary as markdown tables, per item where `items` is given.
 * @param {ProfileSummary} summary @param {number} items @param {string} title
 */
export function profileMarkdown(summary, items, title) {
	const lines = [
		`#### ${title}: ${summary.totalMs.toFixed(0)} ms sampled over ${items} items`,
		'',
		'| where the time goes (self time) | ms | µs/item | share |',
		'| --- | ---: | ---: | ---: |',
		...summary.categories.map(
			(c) =>
				`| ${c.name} | ${c.ms.toFixed(0)} | ${((c.ms * 1000) / items).toFixed(1)} | ${(c.share * 100).toFixed(1)} % |`,
		),
		'',
		...(summary.underNode.length > 0
			? [
					"| time under this node's code: nearest node function → where the time went | ms | µs/item | share |",
					'| --- | ---: | ---: | ---: |',
					...summary.underNode.map(
						(u) =>
							`| \`${u.name}\` | ${u.ms.toFixed(0)} | ${((u.ms * 1000) / items).toFixed(1)} | ${(u.share * 100).toFixed(1)} % |`,
					),
					'',
				]
			: []),
		'| top functions (self time) | ms | share |',
		'| --- | ---: | ---: |',
		...summary.topFunctions.map(
			(f) =>
				`| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.ms.toFixed(0)} | ${(f.share * 100).toFixed(1)} % |`,
		),
	];
	return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const file = process.argv[2];
	if (!file) {
		console.error('usage: node dev/bench/profile.mjs <file.cpuprofile> [items]');
		process.exit(2);
	}
	const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')));
	console.log(profileMarkdown(summary, Number(process.argv[3] ?? 1), path.basename(file)));
}
