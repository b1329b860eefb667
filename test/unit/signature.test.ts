/**
 * Signing, checked against the worked examples in docs/intellectmoney-api.md §3 and against
 * our own vectors (Cyrillic, empty segments, amounts), whose digests were computed independently with
 * Python's hashlib, not with this code.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { signIntellectMoneyRequest } from '../../credentials/IntellectMoneyApi.credentials';
import vectorsFile from '../vectors/intellectmoney-vectors.json';
import {
	buildSignatureString,
	computeHash,
	computeSign,
	describeRecipe,
	findSignedEndpoint,
	maskedSignatureString,
	md5Hex,
	SIGNED_FIELDS,
	sha256Hex,
} from '../../shared/signature';

describe('docs/intellectmoney-api.md §3 worked examples', () => {
	test('1: purchaseToPaid Sign', () => {
		expect(buildSignatureString(['450000', 'order-42', 'ToPaid'], 'SIGNSECRET')).toBe(
			'450000::order-42::ToPaid::SIGNSECRET',
		);
		expect(
			computeSign(
				'merchant/purchaseToPaid',
				{ EshopId: '450000', OrderId: 'order-42' },
				'SIGNSECRET',
			),
		).toBe('a716062543a46b303cb7c61e77bb6f91ffa5de73616a6d4227806ca6a0b23172');
	});

	test('2: purchaseToPaid body Hash', () => {
		expect(
			computeHash(
				'merchant/purchaseToPaid',
				{ EshopId: '450000', OrderId: 'order-42' },
				'SHOPSECRET',
			),
		).toBe('02b97afdd4e6b246f11c4eda6116018e');
	});

	test('3: purchaseToPaid Sign with only InvoiceId keeps an empty OrderId segment', () => {
		const body = { EshopId: '450000', InvoiceId: '3000000001' };
		expect(computeSign('merchant/purchaseToPaid', body, 'SIGNSECRET')).toBe(
			'687a43cd4661cb6ad143289fc6e2422b56cef3aba82ed4aa326a58fe14307a5e',
		);
	});

	test('4: purchaseToRefund Sign (literal Refund in the action slot)', () => {
		expect(sha256Hex(buildSignatureString(['450000', 'order-42', 'Refund'], 'SIGNSECRET'))).toBe(
			'68944ac1e851007dbaabb246b27d42ba41b187b537c4acde0cf34ea317e55328',
		);
	});

	test('5: executeOperation Sign', () => {
		const body = {
			UserToken: 'b1f0c3de',
			PayoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23',
		};
		expect(computeSign('personal/payout/executeOperation', body, 'SIGNSECRET')).toBe(
			'c28b886d14ccd0fbf7e5c8c04610fa47a313a74eaf3325b68caf1a2e28bb2a4b',
		);
	});

	test('6: createInvoice Sign with 15 segments, empty ones kept', () => {
		const values = [
			'450000',
			'order-42',
			'Test',
			'10.00',
			'TST',
			'',
			'buyer@example.com',
			'',
			'',
			'',
			'https://example.com/im/result',
			'',
			'',
			'',
		];
		const text = buildSignatureString(values, 'SIGNSECRET');
		expect(text).toBe(
			'450000::order-42::Test::10.00::TST::::buyer@example.com::::::::https://example.com/im/result::::::::SIGNSECRET',
		);
		expect(sha256Hex(text)).toBe(
			'3401d33f17df8355e4e4220a70f796e46a09b8de2b3d7d27ab0876007890ca0f',
		);
	});

	test('7: getBankCardPaymentState Sign', () => {
		expect(sha256Hex(buildSignatureString(['450000', '3000000001'], 'SIGNSECRET'))).toBe(
			'f2ca5e78b89df10a344d9240df2fc672fec98a32b35fdc89ec41060f3d46d16f',
		);
	});

	test('8: notification hash over UTF-8 (not cp1251)', () => {
		const values = [
			'450000',
			'order-42',
			'Test',
			'1234567',
			'10.00',
			'TST',
			'5',
			'Иван',
			'buyer@example.com',
			'2025-07-15 18:23:32',
		];
		const digest = md5Hex(buildSignatureString(values, 'SHOPSECRET'));
		expect(digest).toBe('e4e6230059afbf67020344f1d97249bd');
		expect(digest).not.toBe('b7b328777d25892bdcac1dd6e641652a');
	});

	test('the doc examples e3b0c442…/d41d8cd9… are only the digests of the empty string', () => {
		expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
	});
});

describe('own vectors (digests from Python hashlib)', () => {
	test('Cyrillic Order ID from the seed page, Sign and Hash', () => {
		const body = { EshopId: '450000', OrderId: 'Покупка №50' };
		expect(computeSign('merchant/purchaseToPaid', body, 'SIGNSECRET')).toBe(
			'2ac69207f254ccd079d878368b4be8fed532b11ab5e6c8192c79895d603e9b95',
		);
		expect(computeHash('merchant/purchaseToPaid', body, 'SHOPSECRET')).toBe(
			'7e407d044f9417cbea551ff280ad2af8',
		);
	});

	test('capture by Invoice ID: Hash has the empty OrderId segment too', () => {
		expect(
			computeHash(
				'merchant/purchaseToPaid',
				{ EshopId: '450000', InvoiceId: '3000000001' },
				'SHOPSECRET',
			),
		).toBe('892b0c423a09aeac441580798941f4e5');
	});

	test('user token request: empty first and last segments, Cyrillic password', () => {
		const body = { Login: 'operator@example.com', Password: 'пароль-1' };
		expect(computeSign('personal/user/getUserToken', body, 'SIGNSECRET')).toBe(
			'00bb2fd1b524c78790da4c3e1530105799fc3a1d61f067d30f634e880c3faa57',
		);
	});

	test('amount as a two-decimal string, nine empty trailing segments', () => {
		const values = [
			'450000',
			'order-7',
			'Test',
			'1234.50',
			'RUB',
			'',
			'',
			'',
			'',
			'',
			'',
			'',
			'',
			'',
		];
		expect(sha256Hex(buildSignatureString(values, 'SIGNSECRET'))).toBe(
			'f48987e6798acfc411eea600275e34c1becff580be0855610513f5bff8aa01b4',
		);
	});

	test('only empty segments, and undefined/null count as empty', () => {
		expect(buildSignatureString([undefined, null, '', ''], 'SIGNSECRET')).toBe(
			'::::::::SIGNSECRET',
		);
		expect(sha256Hex(buildSignatureString(['', '', '', ''], 'SIGNSECRET'))).toBe(
			'0c32f4771397e70bf13bbae011f927be42652474ef1b97a9bcbac6e01caacce1',
		);
	});

	test('Cyrillic secret, long user token', () => {
		// The sample request of seeds/000 (executeOperation page).
		const seedSample = [
			'YdUlqkFcVo62XmY6B9VLJXCoAeA/0fJPxD4/kUUGmwHf5kgBa12MrKUyJd8uO0za',
			'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
		];
		const body = { UserToken: seedSample[0], PayoutOperationId: seedSample[1] };
		expect(computeSign('personal/payout/executeOperation', body, 'ключ')).toBe(
			'8e61c058ba47affbdd0593891f32331e3be806770083184fa56dd5ad6804f0ed',
		);
	});
});

describe('endpoint table', () => {
	test('every endpoint has a Sign recipe; only the Merchant API ones have body hashes', () => {
		const merchant = [
			'merchant/createInvoice',
			'merchant/purchaseToPaid',
			'merchant/purchaseToRefund',
		];
		expect(Object.keys(SIGNED_FIELDS).sort()).toEqual([
			...merchant,
			'personal/payment/getAccountData',
			'personal/payment/getInvoicesHistory',
			'personal/payout/createOperation',
			'personal/payout/executeOperation',
			'personal/payout/getOperationState',
			'personal/user/getUserToken',
		]);
		for (const endpoint of Object.keys(SIGNED_FIELDS) as Array<keyof typeof SIGNED_FIELDS>) {
			expect(SIGNED_FIELDS[endpoint].sign.length).toBeGreaterThan(0);
			const hashed = merchant.includes(endpoint);
			expect(SIGNED_FIELDS[endpoint].hash !== undefined).toBe(hashed);
			expect(SIGNED_FIELDS[endpoint].purchaseHash !== undefined).toBe(hashed);
		}
		expect(SIGNED_FIELDS['personal/payout/executeOperation'].hash).toBeUndefined();
		expect(computeHash('personal/payout/executeOperation', {}, 'SHOPSECRET')).toBeUndefined();
	});

	test('the signed string shown to operators masks the user token, login and password', () => {
		expect(
			maskedSignatureString(
				SIGNED_FIELDS['merchant/purchaseToPaid'].sign,
				{ EshopId: '450000' },
				'Sign Secret Key',
			),
		).toBe('450000::::ToPaid::<Sign Secret Key>');
		expect(
			maskedSignatureString(
				SIGNED_FIELDS['personal/payout/executeOperation'].sign,
				{ UserToken: 'b1f0c3de', PayoutOperationId: '5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23' },
				'Sign Secret Key',
			),
		).toBe('<UserToken>::5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23::<Sign Secret Key>');
		expect(
			maskedSignatureString(
				SIGNED_FIELDS['personal/user/getUserToken'].sign,
				{ Login: 'a', Password: 'b' },
				'K',
			),
		).toBe('::<Login>::<Password>::::<K>');
	});

	test('recipes read the way the docs write them', () => {
		expect(describeRecipe(SIGNED_FIELDS['merchant/purchaseToPaid'].sign, 'Sign Secret Key')).toBe(
			'EshopId::OrderId::ToPaid::<Sign Secret Key>',
		);
		expect(
			describeRecipe(SIGNED_FIELDS['personal/payout/executeOperation'].sign, 'Sign Secret Key'),
		).toBe('UserToken::PayoutOperationId::<Sign Secret Key>');
	});

	const im = 'https://api.intellectmoney.ru/';
	const proxy = 'http://127.0.0.1:8085/proxy/im/';
	test.each([
		['merchant/purchaseToPaid', im, 'merchant/purchaseToPaid'],
		['/merchant/purchaseToPaid', im, 'merchant/purchaseToPaid'],
		['https://api.intellectmoney.ru/merchant/purchaseToPaid', im, 'merchant/purchaseToPaid'],
		['//api.intellectmoney.ru/merchant/purchaseToPaid', im, 'merchant/purchaseToPaid'],
		['personal/payout/executeOperation', proxy, 'personal/payout/executeOperation'],
		[`${proxy}personal/payout/executeOperation`, proxy, 'personal/payout/executeOperation'],
		['merchant/purchaseToRefund', im, 'merchant/purchaseToRefund'],
		// Another host, port, scheme or path: refused, however the path ends.
		['https://evil.example/merchant/purchaseToPaid', im, undefined],
		['//evil.example/merchant/purchaseToPaid', im, undefined],
		['http://api.intellectmoney.ru/merchant/purchaseToPaid', im, undefined],
		['https://api.intellectmoney.ru:8443/merchant/purchaseToPaid', im, undefined],
		['https://api.intellectmoney.ru/evil/merchant/purchaseToPaid', im, undefined],
		['http://127.0.0.1:8085/personal/payout/executeOperation', proxy, undefined],
		['../personal/payout/executeOperation', proxy, undefined],
		['https://api.intellectmoney.ru@evil.example/merchant/purchaseToPaid', im, undefined],
		['https://x:y@api.intellectmoney.ru/merchant/purchaseToPaid', im, undefined],
		// Only the endpoint itself: no query, fragment, escape, backslash or trailing slash.
		[`${proxy}personal/payout/executeOperation?x=1`, proxy, undefined],
		['merchant/purchaseToPaid#x', im, undefined],
		['merchant/purchaseToPaid%2F', im, undefined],
		['\\\\evil.example/merchant/purchaseToPaid', im, undefined],
		[' //evil.example/merchant/purchaseToPaid', im, undefined],
		['personal/user/getUserToken/', im, undefined],
		['merchant/purchaseToRefundX', im, undefined],
		['https://api.intellectmoney.ru/', im, undefined],
		['evil/merchant/purchaseToPaidX', im, undefined],
		[undefined, im, undefined],
	])('findSignedEndpoint(%s, %s) = %s', (url, baseUrl, expected) => {
		expect(findSignedEndpoint(url, baseUrl)).toBe(expected);
	});
});

describe('lifecycle endpoints (digests computed independently with Python hashlib)', () => {
	const invoice = {
		EshopId: '450000',
		OrderId: 'order-42',
		ServiceName: 'Test',
		RecipientAmount: '10.00',
		RecipientCurrency: 'TST',
		Email: 'buyer@example.com',
		ResultUrl: 'https://example.com/im/result',
	};

	test('createInvoice: Sign is reference vector 6, read from the body by the endpoint table', () => {
		expect(computeSign('merchant/createInvoice', invoice, 'SIGNSECRET')).toBe(
			'3401d33f17df8355e4e4220a70f796e46a09b8de2b3d7d27ab0876007890ca0f',
		);
	});

	test('createInvoice: Hash over the Sign fields, PurchaseHash over the short five', () => {
		expect(computeHash('merchant/createInvoice', invoice, 'SHOPSECRET')).toBe(
			'0aa27b95957678a31fadb3013788fc98',
		);
		expect(computeHash('merchant/createInvoice', invoice, 'SHOPSECRET', 'purchaseHash')).toBe(
			'1c64b9bd288190ac9042a4dd40d96038',
		);
	});

	test('purchaseToRefund: Sign is reference vector 4; Hash = PurchaseHash with the literal Refund', () => {
		const body = { EshopId: '450000', OrderId: 'order-42' };
		expect(computeSign('merchant/purchaseToRefund', body, 'SIGNSECRET')).toBe(
			'68944ac1e851007dbaabb246b27d42ba41b187b537c4acde0cf34ea317e55328',
		);
		expect(computeHash('merchant/purchaseToRefund', body, 'SHOPSECRET')).toBe(
			'a8934bbf3af3e77e2004b8c28423bf2d',
		);
		expect(computeHash('merchant/purchaseToRefund', body, 'SHOPSECRET', 'purchaseHash')).toBe(
			'a8934bbf3af3e77e2004b8c28423bf2d',
		);
	});

	test('createOperation: nine fields, Pan empty for SBP, Cyrillic name in UTF-8', () => {
		const body = {
			UserToken: 'b1f0c3de',
			PreferenceType: 'OutSbp',
			Account: '79001234567',
			BankId: '100000000111',
			Amount: '2500.00',
			Currency: 'RUB',
			RecipientName: 'Иванов Иван',
			EshopId: '450000',
		};
		expect(computeSign('personal/payout/createOperation', body, 'SIGNSECRET')).toBe(
			'9771b1f84ca94a60235b6759d9d073b2d5df05ae44cf31cf7d802721754c158e',
		);
	});

	test('a card number never shows in the signed string given to operators', () => {
		expect(
			maskedSignatureString(
				SIGNED_FIELDS['personal/payout/createOperation'].sign,
				{ UserToken: 'b1f0c3de', PreferenceType: 'OutBankCard', Pan: '4111111111111111' },
				'Sign Secret Key',
			),
		).toBe('<UserToken>::OutBankCard::<Pan>::::::::::::::<Sign Secret Key>');
	});
});

describe('credential authenticate', () => {
	const credentials = {
		eshopId: '450000',
		bearerToken: 'BEARER',
		signSecretKey: 'SIGNSECRET',
		shopSecretKey: 'SHOPSECRET',
		login: 'operator@example.com',
		password: 'пароль-1',
		baseUrl: 'http://127.0.0.1:8085',
	};

	const capture: IHttpRequestOptions = {
		method: 'POST',
		url: 'merchant/purchaseToPaid',
		body: { EshopId: '450000', OrderId: 'order-42' },
	};

	test('adds Bearer, Sign, form body with Hash and PurchaseHash, and the base URL', async () => {
		const signed = await signIntellectMoneyRequest(credentials, capture);
		expect(signed.baseURL).toBe('http://127.0.0.1:8085/');
		expect(signed.headers).toMatchObject({
			Authorization: 'Bearer BEARER',
			Sign: 'a716062543a46b303cb7c61e77bb6f91ffa5de73616a6d4227806ca6a0b23172',
			Accept: 'application/json',
			'Content-Type': 'application/x-www-form-urlencoded',
		});
		expect(Object.fromEntries(new URLSearchParams(signed.body as string))).toEqual({
			EshopId: '450000',
			OrderId: 'order-42',
			Hash: '02b97afdd4e6b246f11c4eda6116018e',
			PurchaseHash: '02b97afdd4e6b246f11c4eda6116018e',
		});
	});

	test('no Hash when the shop has no secret key; the default base URL when none is set', async () => {
		const signed = await signIntellectMoneyRequest(
			{ ...credentials, shopSecretKey: '', baseUrl: '' },
			capture,
		);
		expect(signed.baseURL).toBe('https://api.intellectmoney.ru/');
		expect(new URLSearchParams(signed.body as string).has('Hash')).toBe(false);
		expect(new URLSearchParams(signed.body as string).has('PurchaseHash')).toBe(false);
	});

	test('Login and Password go only into the user-token request, UTF-8 form encoded', async () => {
		const tokenRequest = await signIntellectMoneyRequest(credentials, {
			method: 'POST',
			url: 'personal/user/getUserToken',
		});
		expect(Object.fromEntries(new URLSearchParams(tokenRequest.body as string))).toEqual({
			Login: 'operator@example.com',
			Password: 'пароль-1',
		});
		expect(tokenRequest.headers?.Sign).toBe(
			'00bb2fd1b524c78790da4c3e1530105799fc3a1d61f067d30f634e880c3faa57',
		);
		const captureRequest = await signIntellectMoneyRequest(credentials, capture);
		expect(captureRequest.body).not.toContain('Password');
		expect(captureRequest.body).not.toContain('operator%40example.com');
	});

	test('Test Mode without API keys sends neither Authorization nor Sign (TST needs none)', async () => {
		const signed = await signIntellectMoneyRequest(
			{ ...credentials, bearerToken: '', signSecretKey: '', testMode: true },
			{ method: 'POST', url: 'merchant/createInvoice', body: { EshopId: '450000' } },
		);
		expect(signed.headers).not.toHaveProperty('Authorization');
		expect(signed.headers).not.toHaveProperty('Sign');
	});

	test('a live credential always signs, even with a key missing (IntellectMoney then refuses)', async () => {
		const signed = await signIntellectMoneyRequest({ ...credentials, signSecretKey: '' }, capture);
		expect(signed.headers).toHaveProperty('Authorization', 'Bearer BEARER');
		expect(signed.headers).toHaveProperty('Sign');
	});

	test('a request to an endpoint without a recipe is refused, naming no secret', async () => {
		await expect(
			signIntellectMoneyRequest(credentials, { method: 'POST', url: 'merchant/getPaymentWays' }),
		).rejects.toThrow(
			'The IntellectMoney credential signs only the IntellectMoney node\'s own requests; nothing was sent (no signature recipe for "merchant/getPaymentWays")',
		);
	});

	test("another node's request (n8n 1.x HTTP Request: `uri`, no `url`) is refused, nothing signed", async () => {
		const legacy = {
			method: 'POST',
			uri: 'http://127.0.0.1:8085/merchant/purchaseToPaid',
		} as unknown as IHttpRequestOptions;
		await expect(signIntellectMoneyRequest(credentials, legacy)).rejects.toThrow(
			'nothing was sent (a `uri` request for "http://127.0.0.1:8085/merchant/purchaseToPaid", which only other nodes send)',
		);
	});

	test("another node's URL is named without its query", async () => {
		const legacy = {
			method: 'POST',
			uri: 'https://example.org/merchant/purchaseToPaid?api_key=other-service-key',
		} as unknown as IHttpRequestOptions;
		const refused = signIntellectMoneyRequest(credentials, legacy);
		await expect(refused).rejects.toThrow(
			'a `uri` request for "https://example.org/merchant/purchaseToPaid"',
		);
		await expect(signIntellectMoneyRequest(credentials, legacy)).rejects.not.toThrow(
			'other-service-key',
		);
	});

	test.each([
		[
			'https://evil.example/merchant/purchaseToPaid',
			'"https://evil.example/merchant/purchaseToPaid" is not at the Base URL',
		],
		[
			'//evil.example/merchant/purchaseToPaid',
			'"http://evil.example/merchant/purchaseToPaid" is not at the Base URL',
		],
		[
			'http://127.0.0.1:9999/merchant/purchaseToPaid',
			'is not at the Base URL http://127.0.0.1:8085/',
		],
		[
			'https://user:pw@evil.example/merchant/purchaseToPaid?key=k',
			'"https://evil.example/merchant/purchaseToPaid" is not',
		],
	])('an absolute url elsewhere (%s) is refused before anything is signed', async (url, reason) => {
		const attempt = signIntellectMoneyRequest(credentials, { ...capture, url });
		await expect(attempt).rejects.toMatchObject({ code: 'EIM_NOT_SIGNED' });
		await expect(attempt).rejects.toThrow(reason);
		const message = await attempt.catch((error: Error) => error.message);
		for (const hidden of ['BEARER', 'SIGNSECRET', 'pw@', 'key=k'])
			expect(message).not.toContain(hidden);
	});

	test('what is sent is rebuilt from what was checked: Base URL + endpoint, no caller proxy, TLS checked', async () => {
		const signed = await signIntellectMoneyRequest(credentials, {
			...capture,
			url: 'http://127.0.0.1:8085/merchant/purchaseToPaid',
			proxy: { host: 'evil.example', port: 8080 },
			skipSslCertificateValidation: true,
		});
		expect(signed).toMatchObject({
			url: 'merchant/purchaseToPaid',
			baseURL: 'http://127.0.0.1:8085/',
			proxy: undefined,
			skipSslCertificateValidation: false,
		});
		await expect(
			signIntellectMoneyRequest(credentials, { ...capture, qs: { x: '1' } }),
		).rejects.toThrow('"merchant/purchaseToPaid" with a query');
	});

	test('every signed request goes nowhere else: redirects off, credentials never sent on a cross-origin redirect', async () => {
		const signed = await signIntellectMoneyRequest(credentials, capture);
		expect(signed).toMatchObject({
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
		const test = await signIntellectMoneyRequest(credentials, {
			method: 'POST',
			url: 'personal/user/getUserToken',
		});
		expect(test.disableFollowRedirect).toBe(true);
	});

	test.each([
		['https://api.intellectmoney.ru', 'https://api.intellectmoney.ru/'],
		['https://merchant.intellectmoney.ru/proxy', 'https://merchant.intellectmoney.ru/proxy/'],
		['  HTTPS://API.IntellectMoney.ru/  ', 'https://api.intellectmoney.ru/'],
		['http://127.0.0.1:8085', 'http://127.0.0.1:8085/'],
		['http://127.12.0.3:9000/im/', 'http://127.12.0.3:9000/im/'],
		['http://localhost:8085/', 'http://localhost:8085/'],
		['https://[::1]:8443/', 'https://[::1]:8443/'],
	])('Base URL %s is accepted as %s', async (baseUrl, expected) => {
		const signed = await signIntellectMoneyRequest({ ...credentials, baseUrl }, capture);
		expect(signed.baseURL).toBe(expected);
	});

	test.each([
		['https://evil.example/', 'evil.example is neither IntellectMoney'],
		[
			'https://api.intellectmoney.ru.evil.example/',
			'api.intellectmoney.ru.evil.example is neither',
		],
		['https://evilintellectmoney.ru/', 'evilintellectmoney.ru is neither'],
		['http://api.intellectmoney.ru/', 'IntellectMoney is only reached over https://'],
		['http://169.254.169.254/', '169.254.169.254 is neither'],
		['http://0x7f000001.example/', 'is neither'],
		['http://localhost.evil.example/', 'localhost.evil.example is neither'],
		['https://operator:pw@api.intellectmoney.ru/', 'it contains a user name or password'],
		['file:///etc/passwd', 'file: is not an address the node sends to'],
		['api.intellectmoney.ru', 'it is not a full address'],
	])('Base URL %s is refused before any secret is added (%s)', async (baseUrl, reason) => {
		const attempt = signIntellectMoneyRequest({ ...credentials, baseUrl }, capture);
		await expect(attempt).rejects.toMatchObject({ code: 'EIM_NOT_SIGNED' });
		await expect(attempt).rejects.toThrow(reason);
		const message = await attempt.catch((error: Error) => error.message);
		for (const secret of ['BEARER', 'SIGNSECRET', 'SHOPSECRET', 'пароль-1']) {
			expect(message).not.toContain(secret);
		}
	});

	test("the Timeout bounds the whole answer: a deadline joins the execution's cancel signal", async () => {
		const cancel = new AbortController();
		const signed = await signIntellectMoneyRequest(credentials, {
			...capture,
			timeout: 50,
			abortSignal: cancel.signal,
		});
		const signal = signed.abortSignal as AbortSignal;
		expect(signal.aborted).toBe(false);
		await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
		expect(signal.aborted).toBe(true);
		expect(cancel.signal.aborted).toBe(false);

		const cancelled = new AbortController();
		const joined = (
			await signIntellectMoneyRequest(credentials, {
				...capture,
				timeout: 60_000,
				abortSignal: cancelled.signal,
			})
		).abortSignal as AbortSignal;
		cancelled.abort();
		expect(joined.aborted).toBe(true);
	});
});

/**
 * Every vector of test/vectors/intellectmoney-vectors.json (written by make_vectors.py with Python's
 * hashlib, independently of this code and of the sandbox): the node's recipes give the same string
 * and digest for the same fields. The trigger's notification vectors are checked in
 * test/trigger/notification.test.ts.
 */
describe('the vectors file', () => {
	type Vector = {
		id: string;
		endpoint: string | null;
		part: 'sign' | 'hash' | 'purchaseHash' | null;
		fields: Record<string, string>;
		segments: string[];
		secret: string;
		string: string;
		digest: string;
	};
	const { vectors } = vectorsFile as unknown as { vectors: Vector[] };
	const signed = vectors.filter(
		(v) => v.endpoint !== null && v.endpoint !== 'notification' && v.endpoint in SIGNED_FIELDS,
	);

	test('covers every endpoint of the node, each part it signs', () => {
		const covered = new Set(signed.map((v) => `${v.endpoint}:${v.part}`));
		for (const [endpoint, recipe] of Object.entries(SIGNED_FIELDS)) {
			for (const part of ['sign', 'hash', 'purchaseHash'] as const) {
				if (recipe[part]) expect(covered).toContain(`${endpoint}:${part}`);
			}
		}
	});

	test.each(signed.map((v) => [v.id, v] as const))('%s', (_id, v) => {
		const endpoint = v.endpoint as keyof typeof SIGNED_FIELDS;
		const part = v.part ?? 'sign';
		expect(buildSignatureString(v.segments, v.secret)).toBe(v.string);
		const digest =
			part === 'sign'
				? computeSign(endpoint, v.fields, v.secret)
				: computeHash(endpoint, v.fields, v.secret, part);
		expect(digest).toBe(v.digest);
	});

	test.each(vectors.filter((v) => v.endpoint === null).map((v) => [v.id, v] as const))(
		'%s (the bare rule)',
		(_id, v) => {
			expect(buildSignatureString(v.segments, v.secret)).toBe(v.string);
		},
	);
});

describe('getAccountData and the Get Many page', () => {
	test('have vectors', () => {
		const ids = vectorsFile.vectors.map((v) => v.id);
		expect(ids).toEqual(
			expect.arrayContaining([
				'own-getAccountData-sign',
				'own-getAccountData-sign-now',
				'own-getInvoicesHistory-sign-page',
			]),
		);
	});

	test('getAccountData signs the empty segment the page prints', () => {
		expect(
			maskedSignatureString(
				SIGNED_FIELDS['personal/payment/getAccountData'].sign,
				{ UserToken: 'b1f0c3de', AccountId: '1234567' },
				'Sign Secret Key',
			),
		).toBe('<UserToken>::1234567::::::<Sign Secret Key>');
	});
});
