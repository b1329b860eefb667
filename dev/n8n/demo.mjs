// @ts-check
/**
 * `npm run demo`: the main job on the bundled sandbox, without an n8n install. Starts the IntellectMoney sandbox on localhost,
 * holds two buyers' payments on invoices and creates two seller payouts, then runs the example
 * workflow examples/capture-then-payout.workflow.json (capture each held purchase, then execute the
 * seller's payout) through n8n-core's execution engine, and prints the output items and what the
 * sandbox received. No network beyond 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PROJECT_ROOT } from '../paths.mjs';
import { credentialFor, startSandbox } from '../sandbox/index.mjs';
import { createEngine, CREDENTIAL_TYPE, removeEngineUserFolder } from './engine.mjs';

const workflowFile = path.join(PROJECT_ROOT, 'examples', 'capture-then-payout.workflow.json');
const workflow = JSON.parse(readFileSync(workflowFile, 'utf8'));
/** @type {Array<{ json: { orderId: string, payoutOperationId: string } }>} */
const orders = workflow.pinData['Order shipped'];

const sandbox = await startSandbox();
let failed = false;
try {
	for (const [index, { json }] of orders.entries()) {
		sandbox.addInvoice({ orderId: json.orderId, amount: `${1500 + index * 250}.00` });
		sandbox.addPayoutOperation({ id: json.payoutOperationId, amount: `${1200 + index * 200}.00` });
	}
	const engine = await createEngine({ credentials: { [CREDENTIAL_TYPE]: credentialFor(sandbox) } });

	console.log(`IntellectMoney sandbox: ${sandbox.url} (shop ${sandbox.shop.eshopId})`);
	console.log(`Workflow: ${workflow.name} (${path.relative(PROJECT_ROOT, workflowFile)})\n`);
	const result = await engine.run(workflow);

	for (const nodeName of ['Capture purchase', 'Execute seller payout']) {
		console.log(`── ${nodeName}: output items`);
		for (const item of result.output(nodeName)) console.log(JSON.stringify(item.json, null, 2));
		const error = result.nodeError(nodeName);
		if (error) console.log(`error: ${error.message}`);
		console.log('');
	}

	console.log('── What the sandbox received');
	for (const entry of sandbox.log) {
		const checks = `auth ${entry.authValid ? 'ok' : 'BAD'}, sign ${entry.signValid ? 'ok' : 'BAD'}${entry.hashValid === null ? '' : `, hash ${entry.hashValid ? 'ok' : 'BAD'}`}`;
		console.log(
			`${String(entry.seq).padStart(2)}. POST ${entry.endpoint.padEnd(34)} ${entry.verdict.padEnd(8)} (${checks})`,
		);
	}
	const ledger = sandbox.ledger();
	console.log('\n── Money moved (sandbox ledger)');
	console.log(`captures:          ${JSON.stringify(ledger.captures)}`);
	console.log(`payout executions: ${JSON.stringify(ledger.payoutExecutions)}`);
	console.log(`\nExecution status: ${result.status}`);
	failed = result.status !== 'success';
} finally {
	await sandbox.stop();
	removeEngineUserFolder();
}
if (failed) process.exitCode = 1;
