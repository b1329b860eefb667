/** The transport to IntellectMoney shared by the node and the trigger (see each file). */
export * from './answer';
export * from './reads';
export * from './refusal';
export * from './request';
export * from './retry';
