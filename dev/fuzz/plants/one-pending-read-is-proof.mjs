// @ts-check
/**
 * A planted bug for `npm run fuzz -- --plant dev/fuzz/plants/one-pending-read-is-proof.mjs`: one
 * decision of the at-most-once core flipped, "a pending state read after a lost answer proves it was
 * not carried out, so send it again" (the rule the node followed until 2026-12-07, with two reads).
 * Patches the built dist/nodes/IntellectMoney/atMostOnce/protocol.js `decide` in this process only.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { PROJECT_ROOT } from '../../paths.mjs';

const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));

export function install() {
	/** @type {{ decide: (policy: any, memory: any, history: any[]) => any }} */
	const protocol = require(
		path.join(PROJECT_ROOT, 'dist', 'nodes', 'IntellectMoney', 'atMostOnce', 'protocol.js'),
	);
	const real = protocol.decide;
	protocol.decide = (policy, memory, history) => {
		const last = history[history.length - 1];
		const sends = history.filter((seen) => seen.kind !== 'read' && seen.kind !== 'renewed').length;
		const lostBefore = history.some((seen) => seen.kind === 'failed' && !seen.neverLeft);
		if (last?.kind === 'read' && last.verdict === 'pending' && lostBefore && sends < 3) {
			return { step: 'send', afterMs: 0 };
		}
		return real(policy, memory, history);
	};
}
