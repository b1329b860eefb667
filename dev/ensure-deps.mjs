// @ts-check
/**
 * Makes `npm start` and `npm test` work on a fresh clone: installs the locked devDependencies when
 * node_modules is missing or was installed from another package-lock.json, and does nothing otherwise.
 * It runs `npm install`, which installs what package-lock.json pins and leaves a present node_modules
 * in place (`npm ci` would delete it first); the GitHub workflows, on a clean runner, use `npm ci`. Install scripts stay off (.npmrc): n8n-workflow pulls isolated-vm, whose install
 * script does not compile on Node 20, and nothing this project runs needs a compiled addon.
 * Uses only Node's standard library, since it runs before anything is installed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = path.join(root, 'package-lock.json');
const stampFile = path.join(root, 'node_modules', '.n8n-nodes-intellectmoney-lock');
const lockHash = createHash('sha256').update(readFileSync(lockFile)).digest('hex');

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === lockHash) process.exit(0);

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
	console.error(`Node ${process.versions.node} is too old: this project needs Node 20 or newer.`);
	process.exit(1);
}
console.log('Installing the locked development dependencies (about 2 minutes the first time)…');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['install', '--no-audit', '--no-fund'], {
	cwd: root,
	stdio: 'inherit',
});
if (result.status !== 0) {
	console.error('npm install failed: see the messages above.');
	process.exit(result.status ?? 1);
}
// The lock as it is after the install (npm may have tidied it).
writeFileSync(stampFile, createHash('sha256').update(readFileSync(lockFile)).digest('hex'));
