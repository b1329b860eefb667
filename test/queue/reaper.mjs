// @ts-check
/**
 * `node reaper.mjs <parent pid> <run folder>`: started detached by teardown.mjs. Once the parent is
 * gone (even killed with SIGKILL), kills the process groups listed in the run folder and removes it.
 * Killed itself (SIGKILL) when the parent stops the run normally.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { alive, killGroupsSync, PROCESS_LIST } from './teardown.mjs';

const [parentText, runDir] = process.argv.slice(2);
const parent = Number(parentText);
if (!Number.isInteger(parent) || !runDir) process.exit(2);

// Once the parent has exited, this process is handed to another parent (even while the old one is
// still a zombie, which `kill -0` would report alive).
const timer = setInterval(() => {
	if (process.ppid === parent && alive(parent)) return;
	clearInterval(timer);
	const list = path.join(runDir, PROCESS_LIST);
	try {
		if (existsSync(list)) killGroupsSync(JSON.parse(readFileSync(list, 'utf8')));
	} finally {
		rmSync(runDir, { recursive: true, force: true });
	}
}, 1000);
