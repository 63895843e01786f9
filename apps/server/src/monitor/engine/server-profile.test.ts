import { describe, expect, it } from "vitest";
import { profileFromMetrics, profileFromName } from "./server-profile.js";

describe("server profiles", () => {
  it("reads roles from fleet names", () => {
    expect(profileFromName("ppdb001")).toBe("Database");
    expect(profileFromName("ppweb003")).toBe("Web Server");
    expect(profileFromName("ppml0002")).toBe("ML Compute");
    expect(profileFromName("gpu-node-7")).toBe("ML Compute");
    expect(profileFromName("ppcon01")).toBe("Conductor Mgmt");
    expect(profileFromName("etl-02")).toBe("Data Ingest");
    expect(profileFromName("risk-calc-1")).toBe("Risk Analytics");
    expect(profileFromName("html-renderer")).toBeUndefined();
    expect(profileFromName("host42")).toBeUndefined();
  });

  it("falls back to behaviour, then Generic", () => {
    const quiet = { cpu: 20, memory: 40, iowait: 1, network: 2, javaShare: 0.1 };
    expect(profileFromMetrics(quiet)).toBe("Generic");
    expect(profileFromMetrics({ ...quiet, iowait: 8 })).toBe("Database");
    expect(profileFromMetrics({ ...quiet, cpu: 80, memory: 75 })).toBe("ML Compute");
    expect(profileFromMetrics({ ...quiet, javaShare: 0.7 })).toBe("Conductor Mgmt");
    expect(profileFromMetrics({ ...quiet, javaShare: 0.7, cpu: 50 })).toBe("Risk Analytics");
    expect(profileFromMetrics({ ...quiet, network: 80 })).toBe("Data Ingest");
    expect(profileFromMetrics({ ...quiet, network: 20 })).toBe("Web Server");
  });
});
