import type { Notifier, PageDelivery, PageMessage, PageTarget } from "../ports/notifier.js";

/**
 * The notifier until notification channels are configured: every page is recorded as failed with
 * the reason, so the timeline says plainly that nobody was reached rather than pretending.
 */
export class UnconfiguredNotifier implements Notifier {
  async notify(_projectId: string, targets: PageTarget[], _message: PageMessage): Promise<PageDelivery[]> {
    const at = new Date().toISOString();
    return targets.map((target, i) => ({
      id: `unconfigured-${Date.now()}-${i}`,
      target,
      channel: "none",
      status: "failed" as const,
      attempts: 0,
      error: "no notification channel configured",
      at,
    }));
  }
}
