/** The package's [I] inferences, how to tell a live answer that contradicts one, and its error. */
export { INFERENCES, SETUP_PROBES, inference } from './table';
export type { Inference, SetupProbe } from './table';
export { endpointLooksWrong, envelopeShape, readableBalance } from './endpointLooksWrong';
export type { WrongEndpoint, WrongEndpointKind } from './endpointLooksWrong';
export { inferenceError, SETUP_CHECK } from './error';
export { dateFormatOf, describeShape, isShowableName, showableNames } from './shape';
