import type { CopilotError, ErrorBody } from "@aegis/contracts";

/** The server answered with a non-2xx status: carries the status and its error envelope (or raw text). */
export class AegisApiError extends Error {
  override readonly name = "AegisApiError";

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** `ErrorBody` on most routes, `CopilotError` on `/api/v1/analyze`; the raw text when the body is not JSON. */
    readonly body: ErrorBody | CopilotError | string | null,
    readonly headers: Headers,
  ) {
    super(`${method} ${path} → ${status}: ${typeof body === "string" ? body : JSON.stringify(body)}`);
  }

  /** The machine-readable error code of either envelope, if the body had one. */
  get code(): string | undefined {
    const b = this.body;
    if (b && typeof b === "object") return "code" in b ? b.code : b.error.code;
    return undefined;
  }
}
