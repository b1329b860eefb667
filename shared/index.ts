/**
 * What the credential, the node and the trigger share: the credential's name and rules, the Base URL
 * policy, IntellectMoney's endpoints and signing recipes, and the types of its answers.
 */
export * from './api';
export * from './baseUrl';
export * from './credential';
export * from './signature';
