import { UnavailableError } from "../shared/errors.js";

/**
 * The ingest's bounded backlog is full: the alert was NOT accepted (nothing journaled), so the sender
 * must retry it after `retryAfterSeconds` (HTTP 503 with `Retry-After`). An alert once answered 200
 * is never dropped to make room.
 */
export class IngestFullError extends UnavailableError {
  constructor(
    readonly backlog: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `ingest backlog full (${backlog} alerts accepted and not yet stored); retry in ${retryAfterSeconds} s`,
      `retry after ${retryAfterSeconds} seconds`,
    );
  }
}
