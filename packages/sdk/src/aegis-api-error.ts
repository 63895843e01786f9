import type { CopilotError, DetailError, ErrorBody, OnCallError } from "@aegis/contracts";

/** The server answered with a non-2xx status: carries the status and its error envelope (or raw text). */
export class AegisApiError extends Error {
  override readonly name = "AegisApiError";

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /**
     * The envelope of the route's seed: `ErrorBody` (seed 000), `CopilotError` (001), `DetailError`
     * (002, 004), `OnCallError` (003); the raw text when the body is not JSON.
     */
    readonly body: ErrorBody | CopilotError | DetailError | OnCallError | string | null,
    readonly headers: Headers,
  ) {
    super(`${method} ${path} → ${status}: ${typeof body === "string" ? body : JSON.stringify(body)}`);
  }

  /** The machine-readable error code, for the envelopes that carry one (seeds 000 and 001). */
  get code(): string | undefined {
    const b = this.body;
    if (!b || typeof b !== "object") return undefined;
    if ("code" in b) return b.code;
    if ("error" in b && typeof b.error === "object") return b.error.code;
    return undefined;
  }
}
