// @ts-check
/**
 * Prints one plain closing line, `jest: N passed, N failed, N skipped`, so CI can read the count
 * of tests that ran (jest's own summary is not one of the formats CI reads).
 */
export default class SummaryReporter {
	/** @param {unknown} _globalConfig @param {unknown} _options */
	constructor(_globalConfig, _options) {}

	/**
	 * @param {unknown} _contexts
	 * @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number }} results
	 */
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		process.stdout.write(
			`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
		);
	}
}
