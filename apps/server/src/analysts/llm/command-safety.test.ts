import { describe, expect, it } from "vitest";
import { isReadOnlyCommand } from "./command-safety.js";

describe("isReadOnlyCommand", () => {
  it.each([
    "kubectl get pods -n production",
    "kubectl -n production logs deployment/api --tail=200",
    "kubectl rollout status deployment/api",
    "docker logs buggy-app-v2 | grep ERROR | tail -20",
    "curl -s http://localhost:8080/health",
    "journalctl -u api --since '10 min ago'",
  ])("safe: %s", (c) => expect(isReadOnlyCommand(c)).toBe(true));

  it.each([
    "kubectl rollout undo deployment/api",
    "kubectl delete pod api-123",
    "kubectl scale deployment/api --replicas=5",
    "curl -X POST http://localhost:8001/scale/up",
    "curl -d @payload.json http://x",
    "kubectl get pods; rm -rf /",
    "kubectl get pods && kubectl delete pods --all",
    "cat /etc/passwd > /tmp/x",
    "echo $(cat ~/.ssh/id_rsa)",
    "docker logs api | sh",
    "rm -rf /var/log",
    "",
  ])("unsafe: %s", (c) => expect(isReadOnlyCommand(c)).toBe(false));
});
