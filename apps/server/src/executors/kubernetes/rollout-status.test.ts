import type { V1Deployment } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parseQuantity } from "./kube-quantity.js";
import { deploymentRollout, unreadyPods } from "./rollout-status.js";

const dep = (status: V1Deployment["status"], generation = 2, replicas = 3): V1Deployment => ({
  metadata: { name: "checkout", generation },
  spec: { replicas, selector: {}, template: {} },
  status,
});

describe("rollout status as kubectl reports it", () => {
  it("waits for the controller to observe the spec, then for updated, old and available replicas", () => {
    expect(deploymentRollout(dep({ observedGeneration: 1 })).detail).toMatch(/spec update to be observed/);
    expect(deploymentRollout(dep({ observedGeneration: 2, updatedReplicas: 1, replicas: 3 })).detail).toMatch(
      /1 of 3 updated/,
    );
    expect(deploymentRollout(dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 4 })).detail).toMatch(
      /1 old replicas/,
    );
    expect(
      deploymentRollout(dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).done,
    ).toBe(false);
    expect(
      deploymentRollout(dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 })).done,
    ).toBe(true);
  });

  it("ProgressDeadlineExceeded is a failed rollout", () => {
    const r = deploymentRollout(
      dep({
        observedGeneration: 2,
        conditions: [
          { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "timed out" },
        ],
      }),
    );
    expect(r).toMatchObject({ done: false, failed: true });
  });

  it("names unready pods with their waiting reason", () => {
    expect(
      unreadyPods([
        { metadata: { name: "a" }, status: { conditions: [{ type: "Ready", status: "True" }] } },
        {
          metadata: { name: "b" },
          status: {
            conditions: [{ type: "Ready", status: "False" }],
            containerStatuses: [
              {
                name: "app",
                image: "x",
                imageID: "",
                ready: false,
                restartCount: 4,
                state: { waiting: { reason: "CrashLoopBackOff" } },
              },
            ],
          },
        },
      ]),
    ).toEqual(["b: CrashLoopBackOff"]);
  });

  it("parses resource quantities", () => {
    expect(parseQuantity("250m")).toBeCloseTo(0.25);
    expect(parseQuantity("256Mi")).toBe(256 * 2 ** 20);
    expect(parseQuantity("1G")).toBe(1e9);
    expect(parseQuantity("12345678n")).toBeCloseTo(0.012345678);
    expect(parseQuantity("lots")).toBeNull();
  });
});
