/** A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise (CI logs). */
export class ProgressBar {
  private done = 0;
  private lastDecile = -1;
  private readonly t0 = Date.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(n = 1): void {
    this.done += n;
    if (this.out.isTTY) this.out.write(`\r${this.line()}`);
    else {
      const decile = Math.floor((this.done / Math.max(1, this.total)) * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.out.write(`${this.line()}\n`);
      }
    }
  }

  finish(): void {
    if (this.out.isTTY) this.out.write(`\r${this.line()}\n`);
  }

  private line(): string {
    const width = 30;
    const share = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(share * width);
    const secs = (Date.now() - this.t0) / 1000;
    const rate = secs > 0 ? (this.done / secs).toFixed(1) : "-";
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.done}/${this.total} ${this.label} ${rate}/s`;
  }
}
