/**
 * Options → Answer OK, its pure parts: the option's reading, which workflows can answer `OK` after
 * they have run (a Respond to Webhook node of version 1 answering the text OK), and its default. The
 * webhook and activation through n8n-core are in
 * trigger.answer.test.mjs; what n8n answers is proven in real n8n by test/e2e/trigger.e2e.mjs and
 * test/queue/.
 */
import type { NodeTypeAndVersion } from 'n8n-workflow';

import {
	respondToWebhookProblem,
	RESPONSE_MODE,
} from '../../nodes/IntellectMoneyTrigger/answerMode';
import { readTriggerOptions } from '../../nodes/IntellectMoneyTrigger/options';

const respond = (overrides: Partial<NodeTypeAndVersion> = {}): NodeTypeAndVersion => ({
	name: 'Answer OK to IntellectMoney',
	type: 'n8n-nodes-base.respondToWebhook',
	typeVersion: 1,
	disabled: false,
	parameters: { respondWith: 'text', responseBody: 'OK' },
	...overrides,
});
const capture: NodeTypeAndVersion = {
	name: 'Capture held payment',
	type: 'n8n-nodes-intellectmoney.intellectMoney',
	typeVersion: 1,
	disabled: false,
};

describe('Answer OK', () => {
	test('read from the options: When the Execution Is Created unless When Respond to Webhook Answers is chosen', () => {
		expect(readTriggerOptions({}).answerOk).toBe('executionCreated');
		expect(readTriggerOptions({ answerOk: 'executionCreated' }).answerOk).toBe('executionCreated');
		expect(readTriggerOptions({ answerOk: 'respondToWebhook' }).answerOk).toBe('respondToWebhook');
		expect(readTriggerOptions({ answerOk: 'lastNode' }).answerOk).toBe('executionCreated');
		expect(RESPONSE_MODE).toBe(
			'={{ $parameter["options"]["answerOk"] === "respondToWebhook" ? "responseNode" : "onReceived" }}',
		);
	});

	test('a Respond to Webhook node of version 1 answering the text OK is what it needs', () => {
		expect(respondToWebhookProblem([capture, respond()])).toBeNull();
		expect(
			respondToWebhookProblem([
				respond({
					parameters: { respondWith: 'text', responseBody: 'OK', options: { responseCode: 200 } },
				}),
			]),
		).toBeNull();
		// One right node among others is enough (e.g. another branch answers differently).
		expect(respondToWebhookProblem([respond({ typeVersion: 1.5 }), respond()])).toBeNull();
	});

	test('no such node, a disabled one, a later version, another answer or code is refused, saying why', () => {
		expect(respondToWebhookProblem([capture])).toMatch(/no Respond to Webhook node follows/);
		expect(respondToWebhookProblem([respond({ disabled: true })])).toMatch(
			/no Respond to Webhook node follows/,
		);
		for (const wrong of [
			respond({ typeVersion: 1.1 }),
			respond({ typeVersion: 1.5 }),
			respond({ parameters: { respondWith: 'text', responseBody: 'ok' } }),
			respond({ parameters: { respondWith: 'text', responseBody: 'OK\n' } }),
			respond({ parameters: { respondWith: 'firstIncomingItem' } }),
			respond({ parameters: {} }),
			respond({
				parameters: { respondWith: 'text', responseBody: 'OK', options: { responseCode: 201 } },
			}),
		]) {
			expect(respondToWebhookProblem([capture, wrong])).toMatch(
				/must be version 1 and answer the text OK with code 200/,
			);
		}
	});

	test('Answer OK reads as "When the Execution Is Created" unless set', () => {
		expect(readTriggerOptions({}).answerOk).toBe('executionCreated');
		expect(readTriggerOptions({ answerOk: 'respondToWebhook' }).answerOk).toBe('respondToWebhook');
	});
});
