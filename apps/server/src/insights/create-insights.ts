import type { Database } from "../store/database.js";
import { InsightSettingsStore } from "../store/insight-settings-store.js";
import { InsightsStore } from "../store/insights-store.js";
import { AnalyticsService } from "./analytics-service.js";
import { DashboardService } from "./dashboard-service.js";
import { PdfRenderer } from "./pdf-renderer.js";
import { predictionsView } from "./predictions-view.js";
import { ReportService } from "./report-service.js";

export interface Insights {
  dashboard: DashboardService;
  analytics: AnalyticsService;
  reports: ReportService;
  settings: InsightSettingsStore;
  store: InsightsStore;
  predictions: typeof predictionsView;
}

/** Seed 003's read models over the product's stored incidents. */
export function createInsights(database: Database, opts: { chromiumPath?: string; clock?: () => Date } = {}): Insights {
  const clock = opts.clock ?? (() => new Date());
  const store = new InsightsStore();
  const settings = new InsightSettingsStore();
  const dashboard = new DashboardService(database, store, clock);
  const analytics = new AnalyticsService(database, store, settings, clock);
  const reports = new ReportService(
    database,
    settings,
    dashboard,
    analytics,
    new PdfRenderer(opts.chromiumPath ?? "/usr/bin/chromium"),
    clock,
  );
  return { dashboard, analytics, reports, settings, store, predictions: predictionsView };
}
