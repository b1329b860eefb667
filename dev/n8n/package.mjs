// @ts-check
/**
 * Puts the built package into an n8n user folder, where n8n installs community packages.
 */
import {
	cpSync,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../paths.mjs';

const PACKAGE_NAME = 'n8n-nodes-intellectmoney';

/**
 * Puts the built package where n8n installs community packages, so node type ids are
 * `n8n-nodes-intellectmoney.intellectMoney`, as in an operator's install. By default a copy; with
 * `link` (npm run dev), symlinks to this checkout's package.json, index.js and dist/, so a rebuild is
 * what n8n loads at its next start. Run n8n with NODE_PRESERVE_SYMLINKS=1 then (dev/n8n/dev.mjs): the
 * node's `require('n8n-workflow')` is then looked up from the user folder (and n8n's NODE_PATH), as in
 * a real install, not in this checkout's node_modules.
 * @param {string} userFolder  N8N_USER_FOLDER (n8n uses `<userFolder>/.n8n`)
 * @param {{ link?: boolean }} [options]
 */
export function installPackage(userFolder, options = {}) {
	if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'nodes')))
		throw new Error('run `npm run build` first');
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const entries = options.link
		? ['package.json', 'index.js', 'dist']
		: ['package.json', 'index.js', 'dist', 'README.md', 'LICENSE.md'];
	for (const entry of entries) {
		const from = path.join(PROJECT_ROOT, entry);
		if (options.link) symlinkSync(from, path.join(target, entry));
		else cpSync(from, path.join(target, entry), { recursive: true });
	}
	const manifest = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	const version = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version;
	writeFileSync(
		manifest,
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } }, null, 2)}\n`,
	);
	return target;
}
