/**
 * A refusal's English title and whether it is about the credential (shared/transport/refusal.ts):
 * the field named first, then the caller's evidence, then the request; never a guess from
 * IntellectMoney's own words.
 */
import type { ImEnvelope } from '../../shared/api';
import { isCredentialRefusal, refusalTitle } from '../../shared/transport/refusal';

function refusal(param?: string): ImEnvelope {
	return {
		OperationState: { Code: 0, Desc: 'Успешно обработана' },
		Result: { State: { Code: 5, Desc: 'Ошибка', ...(param ? { ErrorSourceParam: param } : {}) } },
	} as unknown as ImEnvelope;
}

describe('refusalTitle', () => {
	test('a named credential field wins over evidence and request, in any case', () => {
		expect(refusalTitle(refusal('SIGN'), 'merchant/purchaseToPaid', 'Invoice not found')).toBe(
			'Signature refused: check the Sign Secret Key',
		);
		expect(isCredentialRefusal(refusal('Hash'))).toBe(true);
	});

	test('else the evidence, else the request', () => {
		expect(refusalTitle(refusal('InvoiceId'), 'merchant/purchaseToPaid', 'Invoice not found')).toBe(
			'Invoice not found',
		);
		expect(refusalTitle(refusal('OrderId'), 'merchant/purchaseToPaid')).toBe('Capture refused');
		expect(isCredentialRefusal(refusal('OrderId'))).toBe(false);
	});

	test('a token request refused without a named field names all four fields it proves', () => {
		expect(refusalTitle(refusal(), 'personal/user/getUserToken')).toBe(
			'User token not issued: check the Bearer Token, Sign Secret Key, Login and Password',
		);
	});

	test('a parameter named like an Object property is no credential field', () => {
		for (const param of ['constructor', '__proto__', 'toString']) {
			expect(refusalTitle(refusal(param), 'merchant/purchaseToRefund')).toBe(
				'Release or refund refused',
			);
			expect(isCredentialRefusal(refusal(param))).toBe(false);
		}
	});
});
