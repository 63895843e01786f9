const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};
const MON = "(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";

// Every format names its parts: y, mo (number) or mon (name), d, h, mi, s, optional f (fraction) and z (zone).
const ISO =
  /(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[T ](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?\s*(?<z>Z|[+-]\d{2}:?\d{2}|UTC|GMT)?/;
const SLASHED = /(?<y>\d{4})\/(?<mo>\d{2})\/(?<d>\d{2})[ T](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})/;
const CLF = new RegExp(
  `(?<d>\\d{2})\\/${MON}\\/(?<y>\\d{4})[: ](?<h>\\d{2}):(?<mi>\\d{2}):(?<s>\\d{2})(?:\\s*(?<z>[+-]\\d{4}))?`,
);
const CTIME = new RegExp(
  `(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+${MON}\\s+(?<d>\\d{1,2})\\s+(?<h>\\d{2}):(?<mi>\\d{2}):(?<s>\\d{2})\\s+(?<y>\\d{4})`,
);
const RFC1123 = new RegExp(
  `(?<d>\\d{1,2})\\s+${MON}\\s+(?<y>\\d{4})\\s+(?<h>\\d{2}):(?<mi>\\d{2}):(?<s>\\d{2})(?:\\s*(?<z>[+-]\\d{4}|GMT|UTC))?`,
);
const EPOCH = /"(?:time|ts|timestamp|@timestamp)"\s*:\s*(?<epoch>\d{10}(?:\.\d+)?|\d{13})\b/;
const SYSLOG = new RegExp(`^(?:<\\d+>)?${MON}\\s+(?<d>\\d{1,2})\\s+(?<h>\\d{2}):(?<mi>\\d{2}):(?<s>\\d{2})`);
const KLOG = /^[IWEF](?<mo>\d{2})(?<d>\d{2})\s+(?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:\.(?<f>\d+))?/;

/** Offset in minutes from "+0100", "-05:00", "Z", "UTC"; logs without a zone are read as UTC. */
function zoneMinutes(zone: string | undefined): number {
  const m = zone ? /^([+-])(\d{2}):?(\d{2})$/.exec(zone) : null;
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0, zone?: string): number | null {
  if (
    ![y, mo, d, h, mi, s].every(Number.isFinite) ||
    y < 2000 ||
    y > 2100 ||
    mo < 0 ||
    mo > 11 ||
    d < 1 ||
    d > 31 ||
    h > 23 ||
    mi > 59 ||
    s > 60
  ) {
    return null;
  }
  return Date.UTC(y, mo, d, h, mi, s, ms) - zoneMinutes(zone) * 60_000;
}

function fromGroups(g: Record<string, string | undefined>, year?: number): number | null {
  const num = (k: string) => Number(g[k] ?? Number.NaN);
  const month = g.mon !== undefined ? (MONTHS[g.mon.toLowerCase()] ?? -1) : num("mo") - 1;
  const frac = g.f ? Math.round(Number(`0.${g.f}`) * 1000) : 0;
  return utc(year ?? num("y"), month, num("d"), num("h"), num("mi"), num("s"), frac, g.z);
}

/** The first absolute timestamp found in a log line, as epoch milliseconds, across common log formats. */
export function parseTimestamp(line: string): number | null {
  for (const re of [ISO, SLASHED, CLF, CTIME, RFC1123]) {
    const g = re.exec(line)?.groups;
    if (g) return fromGroups(g);
  }
  const epoch = EPOCH.exec(line)?.groups?.epoch;
  if (epoch) return epoch.length === 13 ? Number(epoch) : Math.round(Number(epoch) * 1000);
  return null;
}

/** Yearless formats (BSD syslog "May  8 10:00:01", klog "E0508 10:00:01.123") placed in a known year. */
export function parseYearless(line: string, year: number): number | null {
  const t = line.trimStart();
  for (const re of [SYSLOG, KLOG]) {
    const g = re.exec(t)?.groups;
    if (g) return fromGroups(g, year);
  }
  return null;
}

/** Parses an ISO-ish timestamp string (alert or deploy time); null when absent or unreadable. */
export function parseInstant(value: string | null | undefined): number | null {
  if (!value) return null;
  const direct = Date.parse(value);
  if (!Number.isNaN(direct)) return direct;
  return parseTimestamp(value);
}

/** Relative ages as kubectl prints them ("12m", "3h", "2d4h", "45s") in milliseconds. */
export function parseAge(token: string): number | null {
  const re = /(\d+)([smhd])/g;
  let total = 0;
  let any = false;
  for (const m of token.matchAll(re)) {
    any = true;
    const n = Number(m[1]);
    total += n * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
  }
  return any ? total : null;
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 90_000) return `${Math.round(abs / 1000)} s`;
  if (abs < 2 * 3_600_000) return `${Math.round(abs / 60_000)} min`;
  if (abs < 2 * 86_400_000) return `${Math.round(abs / 3_600_000)} h`;
  return `${Math.round(abs / 86_400_000)} days`;
}
