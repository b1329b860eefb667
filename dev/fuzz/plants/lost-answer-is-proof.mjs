// @ts-check
/**
 * A planted bug for `npm run fuzz -- --plant dev/fuzz/plants/lost-answer-is-proof.mjs`: every
 * transport failure counts as proof that the request was not carried out (`mayHaveApplied: false`),
 * so a lost answer is resent. Patches the built dist/shared/transport/answer.js in this process only.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { PROJECT_ROOT } from '../../paths.mjs';

const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));

export function install() {
	/** @type {{ asTransportFailure: (error: unknown) => { mayHaveApplied: boolean, retryable: boolean } | undefined }} */
	const answer = require(path.join(PROJECT_ROOT, 'dist', 'shared', 'transport', 'answer.js'));
	const real = answer.asTransportFailure;
	answer.asTransportFailure = (error) => {
		const failure = real(error);
		return failure && Object.assign(failure, { mayHaveApplied: false, retryable: true });
	};
}
