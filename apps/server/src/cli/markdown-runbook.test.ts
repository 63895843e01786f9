import { describe, expect, it } from "vitest";
import { parseMarkdownRunbook, splitFrontMatter } from "./markdown-runbook.js";

describe("parseMarkdownRunbook", () => {
  it("takes title, service, id, url and tags from front matter", () => {
    const text = `---
title: "Pod crash looping"
service: payments
id: rb-42
url: https://runbooks.example.com/rb-42
tags: [pods, restarts]
weight: 10
---
# KubePodCrashLooping

Body text.
`;
    expect(parseMarkdownRunbook("/rb", "/rb/kubernetes/KubePodCrashLooping.md", text)).toEqual({
      id: "rb-42",
      title: "Pod crash looping",
      service: "payments",
      url: "https://runbooks.example.com/rb-42",
      tags: ["pods", "restarts"],
      body: "# KubePodCrashLooping\n\nBody text.\n",
    });
  });

  it("falls back to the first heading, the folder and the relative path", () => {
    const r = parseMarkdownRunbook("/rb", "/rb/etcd/etcdNoLeader.md", "Intro\n\n# etcd No Leader ##\n\ntext");
    expect(r).toEqual({ id: "etcd/etcdNoLeader", title: "etcd No Leader", service: "etcd", body: expect.any(String) });
    const top = parseMarkdownRunbook("/srv/runbooks", "/srv/runbooks/Disk Full.md", "no heading here");
    expect(top).toMatchObject({ id: "Disk Full", title: "Disk Full", service: "runbooks" });
  });

  it("reads list-style tags and ignores what it does not understand", () => {
    const { meta, body } = splitFrontMatter("---\ntags:\n  - a\n  - 'b'\nnested:\n  key: v\n---\nrest");
    expect(meta.tags).toEqual(["a", "b"]);
    expect(body).toBe("rest");
    expect(splitFrontMatter("no front matter").meta).toEqual({});
  });
});
