// @ts-check
/**
 * A planted bug for `npm run fuzz -- --plant dev/fuzz/plants/a-retry-may-resend.mjs`: one decision of
 * the at-most-once core flipped, "what this execution's earlier attempt did does not count" (n8n's
 * Retry On Fail starts from nothing, as the node did until 2026-12-07). Patches the built
 * dist/nodes/IntellectMoney/atMostOnce/protocol.js `decide` in this process only.
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
	protocol.decide = (policy, memory, history) =>
		real(
			policy,
			memory === 'thisExecutionSent' || memory === 'thisExecutionLost' ? 'none' : memory,
			history,
		);
}
