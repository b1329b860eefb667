'use strict';
/**
 * Package entry (`main`). n8n itself loads the node and the credential through the `n8n` field of
 * package.json; this file is for code outside n8n that wants the same classes and, above all, the
 * same signing helpers, so it signs IntellectMoney requests exactly as the node does.
 * Run `npm run build` first: everything comes from dist/.
 */
const { IntellectMoney } = require('./dist/nodes/IntellectMoney/IntellectMoney.node.js');
const {
	IntellectMoneyApi,
	signIntellectMoneyRequest,
} = require('./dist/credentials/IntellectMoneyApi.credentials.js');
const signature = require('./dist/shared/signature.js');
const {
	IntellectMoneyTrigger,
} = require('./dist/nodes/IntellectMoneyTrigger/IntellectMoneyTrigger.node.js');
const notification = require('./dist/nodes/IntellectMoneyTrigger/notification.js');

module.exports = {
	IntellectMoney,
	IntellectMoneyTrigger,
	IntellectMoneyApi,
	signIntellectMoneyRequest,
	ENDPOINTS: signature.ENDPOINTS,
	SIGNED_FIELDS: signature.SIGNED_FIELDS,
	buildSignatureString: signature.buildSignatureString,
	sha256Hex: signature.sha256Hex,
	md5Hex: signature.md5Hex,
	computeSign: signature.computeSign,
	computeHash: signature.computeHash,
	describeRecipe: signature.describeRecipe,
	parseFormBody: notification.parseFormBody,
	verifyNotification: notification.verifyNotification,
};
