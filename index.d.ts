export { IntellectMoney } from './dist/nodes/IntellectMoney/IntellectMoney.node';
export { IntellectMoneyTrigger } from './dist/nodes/IntellectMoneyTrigger/IntellectMoneyTrigger.node';
export { parseFormBody, verifyNotification } from './dist/nodes/IntellectMoneyTrigger/notification';
export {
	IntellectMoneyApi,
	signIntellectMoneyRequest,
} from './dist/credentials/IntellectMoneyApi.credentials';
export {
	ENDPOINTS,
	SIGNED_FIELDS,
	buildSignatureString,
	sha256Hex,
	md5Hex,
	computeSign,
	computeHash,
	describeRecipe,
} from './dist/shared/signature';
