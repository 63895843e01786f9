import { expect, it } from "vitest";
import { demuxLogs } from "./demux-logs.js";

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

it("joins stdout and stderr frames in order and drops their headers", () => {
  const buf = Buffer.concat([frame(1, "listening\n"), frame(2, "warn: heap\n"), frame(1, "ok\n")]);
  expect(demuxLogs(buf)).toBe("listening\nwarn: heap\nok\n");
});

it("returns a TTY container's raw output as is", () => {
  expect(demuxLogs(Buffer.from("plain text output\n"))).toBe("plain text output\n");
});
