// @ts-check
/**
 * `node dev/browser/docs-images.mjs`: copies the README's pictures from the last
 * `npm run test:browser` (browser-results/<theme>/) to docs/images/<picture>-<theme>.png, each a
 * PNG of at most 150 KB. docs/images/ is not published (package.json "files" is dist only).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../paths.mjs';

const RESULTS = path.join(PROJECT_ROOT, 'browser-results');
const IMAGES = path.join(PROJECT_ROOT, 'docs', 'images');
const MAX_BYTES = 150 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** README picture → the browser suite's screenshot it is. */
export const PICTURES = {
	'node-panel': '03-node-panel',
	output: '10-execution-output',
	error: '07-error',
	trigger: '08-trigger',
};
const THEMES = ['light', 'dark'];

const problems = [];
/** @type {Array<[string, string]>} */
const copies = [];
for (const [picture, shot] of Object.entries(PICTURES)) {
	for (const theme of THEMES) {
		const from = path.join(RESULTS, theme, `${shot}.png`);
		if (!existsSync(from)) {
			problems.push(`${path.relative(PROJECT_ROOT, from)} is missing: run npm run test:browser`);
			continue;
		}
		const bytes = readFileSync(from);
		if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) problems.push(`${from} is not a PNG`);
		if (bytes.length > MAX_BYTES)
			problems.push(`${from} has ${bytes.length} B, more than ${MAX_BYTES}: crop it`);
		copies.push([from, path.join(IMAGES, `${picture}-${theme}.png`)]);
	}
}
if (problems.length) {
	for (const problem of problems) console.error(problem);
	process.exit(1);
}
mkdirSync(IMAGES, { recursive: true });
for (const [from, to] of copies) {
	copyFileSync(from, to);
	console.log(`${path.relative(PROJECT_ROOT, to)}  ${statSync(to).size} B`);
}
