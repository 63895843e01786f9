/** Keeps the last `capacity` lines of a stream; chunks may split lines anywhere. */
export class LineRing {
  private readonly lines: string[] = [];
  private partial = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  /** `source` keeps stdout and stderr fragments apart until their newline arrives. */
  write(source: string, chunk: string): void {
    const text = (this.partial.get(source) ?? "") + chunk;
    const parts = text.split("\n");
    this.partial.set(source, parts.pop() ?? "");
    for (const line of parts) this.push(line.endsWith("\r") ? line.slice(0, -1) : line);
  }

  /** A line from the supervisor itself (start, exit), interleaved with the process output. */
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  /** Flushes unterminated fragments, e.g. when the process exits. */
  flush(): void {
    for (const rest of this.partial.values()) if (rest) this.push(rest);
    this.partial = new Map();
  }

  tail(count: number): string[] {
    if (count <= 0) return [];
    return this.lines.slice(-count);
  }
}
