// @ts-check
/**
 * The docs drift check (`node dev/docs/check-docs.mjs`, and test/docs/docs.test.mjs in `npm test`):
 * README.md and docs/**\/*.md against the repository as it is. Every relative link and anchor
 * resolves (links to this repository's GitHub URLs count as relative: the README uses them so that
 * its links work on the npm page), every `npm run <x>` / `npm start` / `npm test` is a script of
 * package.json, every `examples/<file>` named exists and every example workflow is named, every
 * operation of the node (read from the built node's description, `npm run build` first) has its
 * `Resource → Operation` heading in docs/, the documentation URLs the built nodes and credential
 * show in n8n resolve, every docs/ file says first whom it is for, and the README keeps its budget.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { anchors, headings, links, undefinedReferences } from './markdown.mjs';

/** The README's hard length limit, in lines (issue 23: about 250 is the target). */
export const README_LINE_BUDGET = 300;

/** The docs/ files that predate this check's rules and keep their own opening (the source register). */
const OWN_OPENING = ['docs/intellectmoney-api.md'];

/** @param {string} file */
const read = (file) => readFileSync(file, 'utf8');

/** This repository's GitHub URL, from package.json `repository`. @param {Record<string, any>} manifest */
export function repositoryUrl(manifest) {
	const url =
		typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
	return String(url ?? '')
		.replace(/^git\+/, '')
		.replace(/\.git$/, '');
}

/**
 * The repository file a URL names, or null when the URL is not into this repository's files
 * (another site, or the repository's issues or pull requests, which no checkout holds).
 * @param {string} url @param {string} repository @returns {{ file: string, anchor: string } | null}
 */
export function repositoryTarget(url, repository) {
	const [address, anchor = ''] = url.split('#');
	const name = repository.replace(/^https:\/\/github\.com\//, '');
	if (address === repository || address === `${repository}/`) return { file: 'README.md', anchor };
	const blob = new RegExp(`^${escape(repository)}/(?:blob|tree|raw)/[^/]+/(.+)$`).exec(address);
	const raw = new RegExp(`^https://raw\\.githubusercontent\\.com/${escape(name)}/[^/]+/(.+)$`).exec(
		address,
	);
	const file = (blob ?? raw)?.[1];
	return file ? { file: decodeURIComponent(file), anchor } : null;
}

/** @param {string} text */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** README.md and every Markdown file under docs/, relative to root. @param {string} root */
export function docsFiles(root) {
	/** @type {string[]} */
	const files = ['README.md'];
	/** @param {string} dir */
	const walk = (dir) => {
		for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
			const file = `${dir}/${entry.name}`;
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.md')) files.push(file);
		}
	};
	if (existsSync(path.join(root, 'docs'))) walk('docs');
	return files.sort((a, b) =>
		a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b),
	);
}

/**
 * Whether a link's target is there: a file or folder of the repository, and when it names an
 * anchor, a Markdown file with that anchor. @param {string} root @param {string} file repository path
 * @param {string} anchor @returns {string | null} the problem, or null
 */
function missingTarget(root, file, anchor) {
	const absolute = path.resolve(root, file);
	if (path.relative(root, absolute).startsWith('..')) return 'points outside the repository';
	if (!existsSync(absolute)) return `${file}: no such file`;
	if (!anchor || (file === 'README.md' && anchor === 'readme')) return null;
	if (statSync(absolute).isDirectory() || !file.endsWith('.md'))
		return `#${anchor}: ${file} is not Markdown`;
	return anchors(read(absolute)).has(anchor) ? null : `${file} has no anchor #${anchor}`;
}

/**
 * One link of `from` (a repository path): null when it resolves or is outside the repository.
 * @param {string} root @param {string} from @param {string} target @param {string} repository
 */
export function linkProblem(root, from, target, repository) {
	if (/^(mailto|tel|data):/i.test(target)) return null;
	if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
		const named = repositoryTarget(target, repository);
		return named ? missingTarget(root, named.file, named.anchor) : null;
	}
	const [address, anchor = ''] = target.split('#');
	const file = address
		? path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURIComponent(address)))
		: from;
	return missingTarget(root, file, anchor);
}

/** Every link of README.md and docs/ that does not resolve, and every undefined reference. @param {string} root */
export function checkLinks(root) {
	const repository = repositoryUrl(JSON.parse(read(path.join(root, 'package.json'))));
	return docsFiles(root).flatMap((file) => {
		const text = read(path.join(root, file));
		return [
			...links(text)
				.map(({ target, line }) => ({
					target,
					line,
					problem: linkProblem(root, file, target, repository),
				}))
				.filter(({ problem }) => problem !== null)
				.map(({ target, line, problem }) => `${file}:${line} link ${target}: ${problem}`),
			...undefinedReferences(text).map(
				({ label, line }) => `${file}:${line} link [${label}]: no such reference`,
			),
		];
	});
}

/** Every `npm run <x>`, `npm start` and `npm test` that names no script of package.json. @param {string} root */
export function checkScripts(root) {
	const scripts = JSON.parse(read(path.join(root, 'package.json'))).scripts ?? {};
	return docsFiles(root).flatMap((file) =>
		read(path.join(root, file))
			.split('\n')
			.flatMap((line, index) =>
				[...line.matchAll(/\bnpm (?:run(?:-script)? ([\w:.-]+)|(start|test)\b)/g)]
					.map((match) => match[1] ?? match[2])
					.filter((script) => !(script in scripts))
					.map(
						(script) =>
							`${file}:${index + 1} npm script "${script}" is not in package.json scripts`,
					),
			),
	);
}

/**
 * Every `examples/<file>.json` named that is not there, and every example workflow whose name
 * (its `name` field) README.md and docs/ never mention. @param {string} root
 */
export function checkExamples(root) {
	const texts = docsFiles(root).map((file) => ({ file, text: read(path.join(root, file)) }));
	const named = texts.flatMap(({ file, text }) =>
		text.split('\n').flatMap((line, index) =>
			[...line.matchAll(/\bexamples\/([\w.-]+\.json)/g)].map((m) => ({
				name: m[1],
				where: `${file}:${index + 1}`,
			})),
		),
	);
	const missing = named
		.filter(({ name }) => !existsSync(path.join(root, 'examples', name)))
		.map(({ name, where }) => `${where} example examples/${name} is not in examples/`);
	const all = texts.map(({ text }) => text).join('\n');
	const unnamed = readdirSync(path.join(root, 'examples'))
		.filter((file) => file.endsWith('.workflow.json'))
		.map((file) => ({
			file,
			name: String(JSON.parse(read(path.join(root, 'examples', file))).name),
		}))
		.filter(({ name }) => !all.includes(name))
		.map(
			({ file, name }) =>
				`example workflow "${name}" (examples/${file}) is not named in README.md or docs/`,
		);
	return [...missing, ...unnamed];
}

/**
 * `Resource → Operation` for every operation of the built IntellectMoney node, read from its
 * description (the Resource options, and each Operation property's options for its resources).
 * @param {string} root @returns {string[]}
 */
export function nodeOperations(root) {
	const file = path.join(root, 'dist', 'nodes', 'IntellectMoney', 'IntellectMoney.node.js');
	if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
	const { IntellectMoney } = createRequire(file)(file);
	/** @type {Array<{ name: string, options?: Array<{ name: string, value: string }>, displayOptions?: any }>} */
	const properties = new IntellectMoney().description.properties;
	const resources = properties.find((p) => p.name === 'resource')?.options ?? [];
	return resources.flatMap((resource) =>
		properties
			.filter(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
			)
			.flatMap((p) => (p.options ?? []).map((operation) => `${resource.name} → ${operation.name}`)),
	);
}

/** Every operation of the node without a heading in docs/ that names it. @param {string} root */
export function checkOperations(root) {
	const documented = docsFiles(root)
		.filter((file) => file.startsWith('docs/'))
		.flatMap((file) => headings(read(path.join(root, file))).map((h) => h.text));
	return nodeOperations(root)
		.filter((operation) => !documented.some((heading) => heading.includes(operation)))
		.map(
			(operation) =>
				`operation "${operation}" has no heading in docs/ (e.g. "### ${operation}" in docs/operations.md)`,
		);
}

/**
 * The documentation URLs n8n shows for the built nodes and credential (description and codex):
 * each must resolve, e.g. the README anchor the node's "Docs" link opens. @param {string} root
 */
export function checkDocumentationUrls(root) {
	const repository = repositoryUrl(JSON.parse(read(path.join(root, 'package.json'))));
	/** @type {string[]} */
	const problems = [];
	/** @param {string} dir */
	const walk = (dir) => {
		if (!existsSync(path.join(root, dir))) return;
		for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
			const file = `${dir}/${entry.name}`;
			if (entry.isDirectory()) walk(file);
			else if (/\.(js|json)$/.test(entry.name))
				for (const [url] of read(path.join(root, file)).matchAll(
					new RegExp(`${escape(repository)}[^'"\`\\s)]*`, 'g'),
				)) {
					const problem = linkProblem(root, 'README.md', url, repository);
					if (problem) problems.push(`${file} documentation link ${url}: ${problem}`);
				}
		}
	};
	walk('dist/nodes');
	walk('dist/credentials');
	return problems;
}

/**
 * Every docs/ file opens, after its title, with whom it is for (`*For …*` or `For …`). @param {string} root
 */
export function checkAudience(root) {
	return docsFiles(root)
		.filter((file) => file.startsWith('docs/') && !OWN_OPENING.includes(file))
		.filter((file) => {
			const lines = read(path.join(root, file)).split('\n');
			const first = lines.slice(1).find((line) => line.trim() !== '') ?? '';
			return !(/^#\s/.test(lines[0]) && /^[*_]?For /.test(first.trim()));
		})
		.map(
			(file) => `${file} does not open with a title and whom it is for ("*For operators who …*")`,
		);
}

/** The README within its line budget. @param {string} root */
export function checkReadmeLength(root) {
	const lines = read(path.join(root, 'README.md')).replace(/\n$/, '').split('\n').length;
	return lines > README_LINE_BUDGET
		? [`README.md has ${lines} lines, over its budget of ${README_LINE_BUDGET}`]
		: [];
}

/**
 * Every check, by name, with its problems. @param {string} root
 * @returns {Array<{ id: string, problems: string[] }>}
 */
export function checkDocs(root) {
	return [
		{ id: 'links', problems: checkLinks(root) },
		{ id: 'scripts', problems: checkScripts(root) },
		{ id: 'examples', problems: checkExamples(root) },
		{ id: 'operations', problems: checkOperations(root) },
		{ id: 'documentation-urls', problems: checkDocumentationUrls(root) },
		{ id: 'audience', problems: checkAudience(root) },
		{ id: 'readme-length', problems: checkReadmeLength(root) },
	];
}

// `node dev/docs/check-docs.mjs [root]`: prints each check and its problems; exits 1 on any.
if (
	process.argv[1] &&
	import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href
) {
	const { PROJECT_ROOT } = await import('../paths.mjs');
	const results = checkDocs(path.resolve(process.argv[2] ?? PROJECT_ROOT));
	for (const { id, problems } of results) {
		console.log(`${problems.length ? '✗' : '✓'} ${id}`);
		for (const problem of problems) console.log(`    ${problem}`);
	}
	const failed = results.filter((r) => r.problems.length > 0);
	console.log(
		failed.length
			? `docs: FAILED (${failed.map((r) => r.id).join(', ')})`
			: `docs: passed (${results.length} checks)`,
	);
	process.exitCode = failed.length ? 1 : 0;
}
