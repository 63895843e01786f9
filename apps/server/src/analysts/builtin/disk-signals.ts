import { type LogView, quote } from "./log-view.js";
import { pct, ramp } from "./numbers.js";
import { type Signal, signal } from "./signal.js";

const FULL =
  /No space left on device|\bENOSPC\b|Errno 28\b|disk (?:is )?full|out of disk|\bDiskPressure\b(?!\s+(?:False|Unknown)\b)|FilesystemFull|VolumeFillingUp|could not extend file|The table [^\n]{1,40} is full|not enough (?:disk )?space|insufficient (?:disk )?space|ephemeral[- ](?:local )?storage[^\n]{0,40}(?:exceed|evict|limit)|evicted[^\n]{0,60}ephemeral-storage|low on resource: ephemeral-storage/i;

export function diskSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  const hit = view.lines.find((l) => FULL.test(l.text));
  if (hit) out.push(signal("disk_full", 0.95, `out of disk space: ${quote(hit.text, 100)}`));
  // etcd's backend quota: the cluster refuses every write until it is compacted and defragmented.
  const etcd = view.lines.find((l) =>
    /mvcc: database space exceeded|"alarm":\s*"NOSPACE"|alarm:NOSPACE|etcdserver: no space/i.test(l.text),
  );
  if (etcd)
    out.push(
      signal(
        "disk_full",
        0.9,
        `etcd's database quota is exhausted (NOSPACE alarm): the API server refuses writes until etcd is compacted and defragmented (${quote(etcd.text, 90, /space|NOSPACE/i)})`,
      ),
    );
  for (const l of view.lines) {
    // df output: "/dev/nvme1n1  200G  200G  0  100% /data"
    const df = /^\S+\s+[\d.]+[KMGTP]?i?\s+[\d.]+[KMGTP]?i?\s+[\d.]+[KMGTP]?i?\s+(\d{1,3})%\s+\/\S*/.exec(l.text.trim());
    const pctFree = /(\d{1,3}(?:\.\d+)?)% free/i.exec(l.text);
    const used =
      /\b(?:disk|volume|filesystem|fs|pvc?|storage)\b[^\n%]{0,30}?(\d{1,3}(?:\.\d+)?)\s*%\s*(?:used|full)?/i.exec(
        l.text,
      );
    const value = df
      ? Number(df[1])
      : pctFree && /volume|disk|pv/i.test(l.text)
        ? 100 - Number(pctFree[1])
        : used
          ? Number(used[1])
          : null;
    if (value !== null && value >= 90) {
      out.push(signal("disk_full", ramp(value, 88, 99), `storage ${pct(value)} used: ${quote(l.text, 90)}`));
      break;
    }
  }
  const ctx = view.input.context?.metrics?.disk_percent;
  if (typeof ctx === "number" && ctx >= 90)
    out.push(signal("disk_full", ramp(ctx, 88, 99), `disk_percent ${pct(ctx)} (context)`, "context"));
  // Word boundaries: "namespace" is not "space", "slow" is not "low".
  if (
    /\b(?:disk|volume|storage|space)\b/i.test(view.alert) &&
    /\b(?:full|filling|low|near|exhaust\w*|limit)\b/i.test(view.alert)
  ) {
    out.push(signal("disk_full", 0.4, `alert: "${view.alert}"`, "alert"));
  }
  if (out.length === 0) return out;
  // Whose bytes are they? The app's own scratch files on an ephemeral volume are safe to lose on restart.
  const ephemeral =
    view.lines.find((l) => /emptyDir|ephemeral(?:-storage)?|tmpfs|scratch volume/i.test(l.text)) ??
    (/ephemeral/i.test(view.alert) ? { text: view.alert } : undefined);
  const ownTemp = view.lines.find(
    (l) =>
      /\/tmp\b|\btemp(?:orary)? files?\b|\btmp\b|\.log\b|\bcache\b|scratch/i.test(l.text) &&
      /orphan|cleanup|leftover|stale|written by [\w-]+ itself|never (?:deleted|removed|cleaned|rotated)|not rotated/i.test(
        l.text,
      ),
  );
  if (ephemeral && ownTemp)
    out.push(
      signal(
        "ephemeral_tmp",
        0.85,
        `space is the app's own temp files on an ephemeral volume: ${quote(ownTemp.text, 90)}`,
      ),
    );
  const persistent =
    view.lines.find((l) =>
      /PersistentVolume|\bPVC\b|\/var\/lib\/(?:postgresql|mysql|docker|kafka)|\/data\b|backlog|archive|\bWAL\b|binlog|database files/i.test(
        l.text,
      ),
    ) ?? (/PersistentVolume|\bPVC?\b/i.test(view.alert) ? { text: view.alert } : undefined);
  if (persistent)
    out.push(signal("persistent_volume", 0.8, `persistent data fills the volume: ${quote(persistent.text, 90)}`));
  return out;
}
