import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Images each target has run, oldest first, in a JSON file of the data dir. Recorded whenever the
 * executor sees a target on an image other than its last record (start-up, rollback), so a ROLLBACK
 * knows where to return even across restarts of the product.
 */
export class DeployHistory {
  private readonly byTarget: Record<string, string[]>;

  constructor(private readonly file: string) {
    this.byTarget = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string[]>) : {};
  }

  of(target: string): string[] {
    return [...(this.byTarget[target] ?? [])];
  }

  /** Record `image` as the target's current deploy unless it already is. */
  record(target: string, image: string): void {
    const list = this.byTarget[target] ?? [];
    if (list.at(-1) === image) return;
    this.byTarget[target] = [...list.filter((i) => i !== image), image];
    this.save();
  }

  /** The image before the current one, if any. */
  previous(target: string): string | undefined {
    return this.byTarget[target]?.at(-2);
  }

  /** Seed a target's history when it has none (a declared previous version). */
  seed(target: string, images: string[]): void {
    if ((this.byTarget[target] ?? []).length > 0) return;
    this.byTarget[target] = [...images];
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.byTarget, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
