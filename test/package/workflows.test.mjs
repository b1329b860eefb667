// @ts-check
/**
 * dev/packaging/check-workflows.mjs passes the repository's workflow files and fails each broken copy of them
 * with a message that names what is wrong (the files cannot run here: no GitHub, no network).
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { checkWorkflows } from '../../dev/packaging/check-workflows.mjs';
import { PROJECT_ROOT } from '../../dev/paths.mjs';

/** @param {string} name */
const read = (name) => readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', name), 'utf8');
const ci = read('ci.yml');
const publish = read('publish.yml');
const enginesNode = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'))
	.engines.node;

/** Replaces one exact piece of text, failing if it is not there exactly once. @param {string} text @param {string} from @param {string} to */
function edit(text, from, to) {
	expect(text.split(from)).toHaveLength(2);
	return text.replace(from, to);
}

test('the repository’s ci.yml and publish.yml pass, from the command line too', () => {
	expect(checkWorkflows({ ci, publish, enginesNode })).toEqual({ ci: [], publish: [] });
	const run = spawnSync(
		process.execPath,
		[path.join(PROJECT_ROOT, 'dev', 'packaging', 'check-workflows.mjs')],
		{
			encoding: 'utf8',
		},
	);
	expect(run.status).toBe(0);
	expect(run.stdout).toMatch(/✓ \.github\/workflows\/publish\.yml: .*id-token: write/);
});

describe.each(
	/** @type {Array<[string, 'ci' | 'publish', (text: string) => string, RegExp]>} */ ([
		[
			'a YAML syntax error',
			'ci',
			(t) => edit(t, 'jobs:\n', 'jobs:\n  check: [\n'),
			/^invalid YAML/,
		],
		[
			'a duplicate key',
			'publish',
			(t) =>
				edit(
					t,
					'permissions:\n  contents: read\n',
					'permissions:\n  contents: read\n  contents: write\n',
				),
			/^invalid YAML: Map keys must be unique/,
		],
		[
			'no pull_request trigger',
			'ci',
			(t) => edit(t, '  pull_request:\n', ''),
			/does not run on pull_request/,
		],
		[
			'an action on a moving tag',
			'ci',
			(t) =>
				edit(
					t,
					'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
					'actions/checkout@v7',
				),
			/action actions\/checkout@v7 is not pinned/,
		],
		[
			'a Node below engines',
			'ci',
			(t) => edit(t, "node: ['20.18.1', '24']", "node: ['18', '24']"),
			/node-version 18 is below package\.json engines >=20\.18\.1/,
		],
		[
			'no npm test step',
			'ci',
			(t) => edit(t, '        run: npm test\n', '        run: echo skipped\n'),
			/no step runs `npm test`/,
		],
		[
			'the build after the tests',
			'ci',
			(t) =>
				edit(
					edit(t, '      - name: Build\n        run: npm run build\n\n', ''),
					'        run: npm run scan\n',
					'        run: npm run scan\n\n      - run: npm run build\n',
				),
			/^`npm test` runs before `npm run build`$/,
		],
		[
			'no id-token permission',
			'publish',
			(t) => edit(t, '      id-token: write\n', ''),
			/lacks permissions id-token: write/,
		],
		[
			'write access to contents',
			'publish',
			(t) =>
				edit(
					t,
					'      id-token: write\n      contents: read\n',
					'      id-token: write\n      contents: write\n',
				),
			/must have permissions contents: read/,
		],
		[
			'a publish without provenance',
			'publish',
			(t) => edit(t, 'npm publish --provenance --access public', 'npm publish --access public'),
			/no step runs exactly `npm publish --provenance --access public`/,
		],
		[
			'publishing on every push to main',
			'publish',
			(t) => edit(t, "    tags:\n      - 'v*.*.*'\n", '    branches: [main]\n'),
			/does not run on pushed tags/,
		],
		[
			'publishing before the tests',
			'publish',
			(t) =>
				edit(
					edit(
						t,
						'        run: npm test\n',
						'        run: npm publish --provenance --access public\n',
					),
					'        run: npm publish --provenance --access public\n        env:',
					'        run: npm test\n        env:',
				),
			/the publish step must be the last, after every check/,
		],
		[
			'no registry-url for the npm token',
			'publish',
			(t) => edit(t, "          registry-url: 'https://registry.npmjs.org'\n", ''),
			/setup-node must set registry-url/,
		],
	]),
)('%s', (_name, file, breakIt, message) => {
	test(`fails ${file}.yml with a message that says so`, () => {
		const broken = checkWorkflows({
			ci: file === 'ci' ? breakIt(ci) : ci,
			publish: file === 'publish' ? breakIt(publish) : publish,
			enginesNode,
		});
		expect(broken[file === 'ci' ? 'publish' : 'ci']).toEqual([]);
		expect(broken[file]).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
	});
});
