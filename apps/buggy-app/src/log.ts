/** One JSON line per event: stdout for normal events, stderr for failures. */
export function logEvent(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), level: "info", event, ...fields })}\n`);
}

export function logError(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level: "error", event, ...fields })}\n`);
}
