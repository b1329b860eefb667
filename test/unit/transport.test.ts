/**
 * The transport's text for operators: the start of an unusable answer goes into error descriptions
 * (and the execution log), so a user token in it must be masked, in JSON, form or XML shape.
 */
import { bodyPreview } from '../../nodes/IntellectMoney/transport';

describe('bodyPreview', () => {
	const issued = 'Yd/Ulq+kFc=Vo62XmY6B9VLJ';

	test.each([
		[
			'JSON cut off',
			`{"OperationState":{"Code":0},"Result":{"State":{"Code":0},"UserToken":"${issued}`,
		],
		['JSON, complete', { Result: { UserToken: issued } }],
		['XML', `<Response><Result><UserToken>${issued}</UserToken></Result></Response>`],
		['form', `State=0&UserToken=${issued}&x=1`],
		['lower-case name', `{"usertoken": "${issued}"}`],
	])('masks the user token in %s', (_shape, body) => {
		const preview = bodyPreview(body);
		expect(preview).not.toContain(issued);
		expect(preview).not.toContain(issued.slice(0, 8));
		expect(preview).toContain('<UserToken>');
	});

	test('keeps the rest, folds white space, cuts at 200 characters, names an empty body', () => {
		expect(bodyPreview('<html>\n  <body>Bad   Gateway</body></html>')).toBe(
			'<html> <body>Bad Gateway</body></html>',
		);
		expect(bodyPreview('x'.repeat(500))).toHaveLength(200);
		expect(bodyPreview('')).toBe('(empty)');
	});
});
