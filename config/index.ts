export { ConfigError } from "./errors";
export { loadStackConfig, NAMESPACE } from "./load";
export type { StackConfig, Environment } from "./resolve";
