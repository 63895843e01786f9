import { type NumericGroup, PERCENT_GROUPS } from "./risk-features.js";

/** What crossing each forecast group's danger threshold means to an operator. */
export const BREACH_PHRASES: Readonly<Record<NumericGroup, string>> = {
  cpu: "CPU saturation",
  memory: "Memory exhaustion",
  swap: "Swap exhaustion",
  disk: "Disk full",
  iowait: "I/O wait saturation",
  load: "Load overload",
  network: "Network saturation",
  close_wait: "CLOSE_WAIT exhaustion",
};

/** "45 minutes", "1 minute", "3 hours", "2 days": minutes up to 90, then rounded hours, then days. */
export function formatDuration(minutes: number): string {
  const m = Math.max(1, Math.round(minutes));
  if (m < 90) return m === 1 ? "1 minute" : `${m} minutes`;
  const h = Math.round(m / 60);
  if (h < 48) return h === 1 ? "1 hour" : `${h} hours`;
  const d = Math.round(h / 24);
  return `${d} days`;
}

/** A group's value in its unit: "96.2%", "12.4", "250.1 MB/s", "340". */
export function formatValue(group: NumericGroup, value: number): string {
  // A fitted or forecast percentage can overshoot; the metric itself cannot.
  if (PERCENT_GROUPS.has(group)) return `${Math.min(100, Math.max(0, value)).toFixed(1)}%`;
  if (group === "network") return `${value.toFixed(1)} MB/s`;
  if (group === "close_wait") return `${Math.round(value)}`;
  return value.toFixed(1);
}
