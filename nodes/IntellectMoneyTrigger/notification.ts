/**
 * The notification's public functions in one place (index.js exports parseFormBody and
 * verifyNotification from here): the form body reader (formBody.ts) and the verification
 * (verification.ts).
 */
export {
	fieldValue,
	indexPairs,
	missingRequiredFields,
	pairsFromParsedBody,
	parseFormBody,
	REQUIRED_FIELDS,
} from './formBody';
export type { ReceivedPair } from './formBody';
export { HASHED_FIELDS, verifyNotification } from './verification';
export type { NotificationEncoding, Verification } from './verification';
