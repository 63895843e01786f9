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
const MON = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";

const ISO = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?/;
const SLASHED = /(\d{4})\/(\d{2})\/(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const CLF = new RegExp(`(\\d{2})\\/${MON}\\/(\\d{4})[: ](\\d{2}):(\\d{2}):(\\d{2})(?:\\s*([+-]\\d{4}))?`);
const CTIME = new RegExp(
  `(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+${MON}\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s+(\\d{4})`,
);
const RFC1123 = new RegExp(
  `(\\d{1,2})\\s+${MON}\\s+(\\d{4})\\s+(\\d{2}):(\\d{2}):(\\d{2})(?:\\s*([+-]\\d{4}|GMT|UTC))?`,
);
const EPOCH = /"(?:time|ts|timestamp|@timestamp)"\s*:\s*(\d{10}(?:\.\d+)?|\d{13})\b/;

/** Offset in minutes from "+0100", "-05:00", "Z", "UTC"; logs without a zone are read as UTC. */
function zoneMinutes(zone: string | undefined): number {
  if (!zone || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  const sign = m[1] === "-" ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3]));
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0, zone?: string): number | null {
  if (y < 2000 || y > 2100 || mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return Date.UTC(y, mo, d, h, mi, s, ms) - zoneMinutes(zone) * 60_000;
}

function fraction(digits: string | undefined): number {
  return digits ? Math.round(Number(`0.${digits}`) * 1000) : 0;
}

/** The first absolute timestamp found in a log line, as epoch milliseconds, across common log formats. */
export function parseTimestamp(line: string): number | null {
  let m = ISO.exec(line);
  if (m) return utc(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fraction(m[7]), m[8]);
  m = SLASHED.exec(line);
  if (m) return utc(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  m = CLF.exec(line);
  if (m) return utc(+m[3]!, MONTHS[m[2]!.toLowerCase()]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!, 0, m[7]);
  m = CTIME.exec(line);
  if (m) return utc(+m[6]!, MONTHS[m[1]!.toLowerCase()]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
  m = RFC1123.exec(line);
  if (m) return utc(+m[3]!, MONTHS[m[2]!.toLowerCase()]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!, 0, m[7]);
  m = EPOCH.exec(line);
  if (m) {
    const n = Number(m[1]);
    return m[1]!.length === 13 ? n : Math.round(n * 1000);
  }
  return null;
}

const SYSLOG = new RegExp(`^(?:<\\d+>)?${MON}\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})`);
const KLOG = /^[IWEF](\d{2})(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/;

/** Yearless formats (BSD syslog "May  8 10:00:01", klog "E0508 10:00:01.123") placed in a known year. */
export function parseYearless(line: string, year: number): number | null {
  const t = line.trimStart();
  let m = SYSLOG.exec(t);
  if (m) return utc(year, MONTHS[m[1]!.toLowerCase()]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
  m = KLOG.exec(t);
  if (m) return utc(year, +m[1]! - 1, +m[2]!, +m[3]!, +m[4]!, +m[5]!, fraction(m[6]));
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
