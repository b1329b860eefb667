// @ts-check
/**
 * The docs cannot drift: README.md and docs/ pass every check of dev/docs/check-docs.mjs as they are,
 * and each check fails for real. Every planted problem is made on a temp copy of the docs (README.md,
 * docs/, examples/ and package.json copied, everything else linked), never in the repository, and
 * must fail exactly its own check.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import {
	appendFileSync,
	cpSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { checkDocs, nodeOperations, README_LINE_BUDGET } from '../../dev/docs/check-docs.mjs';
import { anchors, links, slug } from '../../dev/docs/markdown.mjs';
import { PROJECT_ROOT } from '../../dev/paths.mjs';

const REPOSITORY = 'https://github.com/n8n-nodes-intellectmoney/n8n-nodes-intellectmoney';
/** What a plant may change; the rest of the checkout is linked into the copy. */
const COPIED = ['README.md', 'docs', 'examples', 'package.json'];

/** @type {string[]} */
const scratches = [];

afterAll(() => {
	for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});

/** A temp copy of the checkout for one plant. @returns {string} */
function copyOfCheckout() {
	const dir = mkdtempSync(path.join(tmpdir(), 'im-docs-test-'));
	scratches.push(dir);
	for (const entry of readdirSync(PROJECT_ROOT)) {
		if (entry === '.git') continue;
		if (COPIED.includes(entry))
			cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
		else symlinkSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry));
	}
	return dir;
}

/** The ids of the checks that found problems, and the problems. @param {string} root */
function failures(root) {
	const results = checkDocs(root).filter((r) => r.problems.length > 0);
	return { ids: results.map((r) => r.id), problems: results.flatMap((r) => r.problems) };
}

/** @param {string} root @param {string} file @param {(text: string) => string} change */
function edit(root, file, change) {
	const absolute = path.join(root, file);
	const before = readFileSync(absolute, 'utf8');
	const after = change(before);
	expect(after).not.toBe(before);
	writeFileSync(absolute, after);
}

describe('the docs as they are', () => {
	test('pass every check', () => {
		const results = checkDocs(PROJECT_ROOT);
		expect(results.map((r) => r.id)).toEqual([
			'links',
			'scripts',
			'examples',
			'operations',
			'documentation-urls',
			'audience',
			'readme-length',
		]);
		for (const result of results) expect(result).toEqual({ id: result.id, problems: [] });
	});

	test("the operations come from the built node's description, not a list here", () => {
		const operations = nodeOperations(PROJECT_ROOT);
		expect(operations).toEqual(
			expect.arrayContaining(['Purchase → Capture', 'Payout → Execute', 'Account → Get Balance']),
		);
		expect(operations.length).toBeGreaterThanOrEqual(9);
		expect(new Set(operations).size).toBe(operations.length);
	});

	test("the README's links into docs/ are absolute repository URLs (they work on the npm page)", () => {
		const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
		const targets = links(readme).map((l) => l.target);
		expect(
			targets.filter((t) => t.startsWith(`${REPOSITORY}/blob/main/docs/`)).length,
		).toBeGreaterThanOrEqual(10);
		expect(targets.filter((t) => !/^(https?:|#)/.test(t))).toEqual([]);
	});
});

describe('GitHub anchors', () => {
	test('slugs as GitHub makes them', () => {
		expect(slug('Reliability: what the node promises with money')).toBe(
			'reliability-what-the-node-promises-with-money',
		);
		expect(slug('Trigger: payment notifications (Result URL)')).toBe(
			'trigger-payment-notifications-result-url',
		);
		expect(slug('Purchase → Capture')).toBe('purchase--capture');
		expect(slug('Package exports (`index.js`)')).toBe('package-exports-indexjs');
		expect(slug('§2.1 Merchant API')).toBe('21-merchant-api');
	});

	test('links in code are not links; reference definitions and HTML sources are', () => {
		const text = [
			'See [a](a.md) and `[b](b.md)`.',
			'```md',
			'[c](c.md)',
			'```',
			'<img alt="x"',
			'  src="d.png">',
			'[e]: e.md',
		].join('\n');
		expect(links(text)).toEqual([
			{ target: 'a.md', line: 1 },
			{ target: 'd.png', line: 6 },
			{ target: 'e.md', line: 7 },
		]);
	});

	test('headings in code blocks are no anchors; repeated headings get -1', () => {
		const found = anchors('# Title\n\n```bash\n# not a heading\n```\n\n## Notes\n\n## Notes\n');
		expect([...found]).toEqual(['title', 'notes', 'notes-1']);
	});
});

describe('each check fails on its planted problem, and only that check', () => {
	test('a broken relative link in docs/', () => {
		const root = copyOfCheckout();
		edit(root, 'docs/operations.md', (t) => `${t}\nSee [the missing page](no-such-page.md).\n`);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['links']);
		expect(problems).toEqual([
			expect.stringMatching(
				/^docs\/operations\.md:\d+ link no-such-page\.md: docs\/no-such-page\.md: no such file$/,
			),
		]);
	});

	test('a broken anchor, in the same file and in another', () => {
		const root = copyOfCheckout();
		edit(
			root,
			'docs/trigger.md',
			(t) => `${t}\nSee [above](#no-such-section) and [there](reliability.md#no-such-rule).\n`,
		);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['links']);
		expect(problems).toEqual([
			expect.stringContaining('docs/trigger.md has no anchor #no-such-section'),
			expect.stringContaining('docs/reliability.md has no anchor #no-such-rule'),
		]);
	});

	test('an absolute repository URL in the README to a file or anchor that is not there', () => {
		const root = copyOfCheckout();
		edit(root, 'README.md', (t) =>
			t.replace(
				'## License',
				`See [gone](${REPOSITORY}/blob/main/docs/gone.md) and [moved](${REPOSITORY}/blob/main/docs/scale.md#gone).\n\n## License`,
			),
		);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['links']);
		expect(problems).toEqual([
			expect.stringContaining('docs/gone.md: no such file'),
			expect.stringContaining('docs/scale.md has no anchor #gone'),
		]);
	});

	test('a reference link without its definition', () => {
		const root = copyOfCheckout();
		edit(root, 'README.md', (t) =>
			t.replace('## License', 'See [the guide][no-such-label].\n\n## License'),
		);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['links']);
		expect(problems).toEqual([expect.stringContaining('link [no-such-label]: no such reference')]);
	});

	test('an npm script that package.json does not have', () => {
		const root = copyOfCheckout();
		edit(root, 'docs/development.md', (t) => `${t}\nRun \`npm run test:everything\` first.\n`);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['scripts']);
		expect(problems).toEqual([
			expect.stringContaining('npm script "test:everything" is not in package.json scripts'),
		]);
	});

	test('a script the docs name, removed from package.json', () => {
		const root = copyOfCheckout();
		edit(root, 'package.json', (t) => {
			const manifest = JSON.parse(t);
			delete manifest.scripts.bench;
			return JSON.stringify(manifest, null, 2);
		});
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['scripts']);
		expect(problems.every((p) => p.includes('npm script "bench"'))).toBe(true);
	});

	test('an example workflow named that examples/ does not have, and one nobody names', () => {
		const root = copyOfCheckout();
		edit(
			root,
			'docs/examples.md',
			(t) => `${t}\nImport \`examples/no-such-example.workflow.json\`.\n`,
		);
		writeFileSync(
			path.join(root, 'examples', 'undocumented.workflow.json'),
			JSON.stringify({ name: 'A workflow no page names', nodes: [], connections: {} }),
		);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['examples']);
		expect(problems).toEqual([
			expect.stringContaining('example examples/no-such-example.workflow.json is not in examples/'),
			expect.stringContaining(
				'example workflow "A workflow no page names" (examples/undocumented.workflow.json)',
			),
		]);
	});

	test('an operation of the node without its heading in docs/', () => {
		const root = copyOfCheckout();
		edit(root, 'docs/operations.md', (t) =>
			t.replace('### Purchase → Get State\n', '### Reading one invoice\n'),
		);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['operations']);
		expect(problems).toEqual([
			expect.stringContaining('operation "Purchase → Get State" has no heading in docs/'),
		]);
	});

	test("the README heading the node's Docs link opens, renamed", () => {
		const root = copyOfCheckout();
		edit(root, 'README.md', (t) => t.replace('\n## Credentials\n', '\n## The credential\n'));
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['documentation-urls']);
		expect(problems.length).toBeGreaterThanOrEqual(1);
		expect(problems.every((p) => p.includes('README.md has no anchor #credentials'))).toBe(true);
	});

	test('a docs/ page that does not say whom it is for', () => {
		const root = copyOfCheckout();
		writeFileSync(path.join(root, 'docs', 'notes.md'), '# Notes\n\nSome notes.\n');
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['audience']);
		expect(problems).toEqual([
			expect.stringContaining('docs/notes.md does not open with a title and whom it is for'),
		]);
	});

	test('a README over its budget', () => {
		const root = copyOfCheckout();
		const lines = readFileSync(path.join(root, 'README.md'), 'utf8')
			.replace(/\n$/, '')
			.split('\n').length;
		appendFileSync(
			path.join(root, 'README.md'),
			'\nMore text.\n'.repeat(Math.ceil((README_LINE_BUDGET - lines) / 2) + 1),
		);
		const { ids, problems } = failures(root);
		expect(ids).toEqual(['readme-length']);
		expect(problems).toEqual([
			expect.stringMatching(
				new RegExp(`^README\\.md has \\d+ lines, over its budget of ${README_LINE_BUDGET}$`),
			),
		]);
	});
});
