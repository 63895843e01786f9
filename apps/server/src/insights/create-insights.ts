import type { Database } from "../store/database.js";
import { InsightsStore } from "../store/insights-store.js";
import { DashboardService } from "./dashboard-service.js";

/** Seed 003's read models over the product's stored incidents. */
export function createInsights(database: Database, clock: () => Date = () => new Date()) {
  const store = new InsightsStore();
  return { dashboard: new DashboardService(database, store, clock) };
}
