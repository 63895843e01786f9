import { AegisApiError } from "@aegis/sdk";

/** A failure as a person reads it: the server's own message when it sent one. */
export function errorText(e: unknown): string {
  if (e instanceof AegisApiError) {
    const b = e.body as unknown;
    const detail =
      typeof b === "object" && b !== null
        ? ((b as Record<string, unknown>).detail ??
          (b as Record<string, unknown>).error ??
          (b as Record<string, unknown>).message)
        : null;
    const text =
      typeof detail === "string" ? detail : typeof detail === "object" && detail ? JSON.stringify(detail) : e.message;
    return `${e.status}: ${text}`;
  }
  return e instanceof Error ? e.message : String(e);
}
