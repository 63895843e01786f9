export * from "./enums.js";
export * from "./errors.js";
export * from "./incident.js";
export * from "./incident-payload.js";
export * from "./knowledge.js";
export * from "./runbooks.js";
export * from "./runtime.js";
export * from "./ws-frames.js";
