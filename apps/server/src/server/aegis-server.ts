import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import type { AlertEvent } from "@aegis/contracts";
import { createAccounts } from "../accounts/create-accounts.js";
import { createAnalysisEngine } from "../analysts/llm/create-analysis-engine.js";
import { runbookFinderOf } from "../analysts/llm/runbook-finder.js";
import { adminKeyAuthenticator } from "../api/admin-key-authenticator.js";
import { buildApp } from "../api/build-app.js";
import { alertFiredOf } from "../api/ws-event-of.js";
import type { Config } from "../config/config.js";
import { defaultCouncilPolicy, PolicyCouncil } from "../council/policy-council.js";
import { AlertGrouper } from "../engine/alert-grouping.js";
import { AlertIntake } from "../engine/alert-intake.js";
import { ApprovalExpiry } from "../engine/approval-expiry.js";
import { IncidentResource } from "../engine/incident-resource.js";
import { IncidentService } from "../engine/incident-service.js";
import { Pipeline } from "../engine/pipeline.js";
import { PipelineWorker } from "../engine/pipeline-worker.js";
import { IncidentRecorder } from "../engine/recorder.js";
import { SilenceService } from "../engine/silence-service.js";
import { InProcessEventBus } from "../events/event-bus.js";
import { createExecutor } from "../executors/create-executor.js";
import { IngestJournal } from "../ingest/ingest-journal.js";
import { JournaledIngest } from "../ingest/journaled-ingest.js";
import { SealedSecrets } from "../ingest/sealed-secret.js";
import { createIntegrations } from "../integrations/create-integrations.js";
import { createKnowledge } from "../knowledge/create-knowledge.js";
import { createMonitor } from "../monitor/create-monitor.js";
import type { Analyst } from "../ports/analyst.js";
import type { Executor } from "../ports/executor.js";
import { TargetProtection } from "../safety/target-protection.js";
import type { Logger } from "../shared/logger.js";
import { ActionLog } from "../store/action-log.js";
import { AlertStore } from "../store/alert-store.js";
import { type Database, DEFAULT_PROJECT_ID, openDatabase, pgliteDirFor } from "../store/database.js";
import { IncidentResourceStore } from "../store/incident-resource-store.js";
import { IncidentStore } from "../store/incident-store.js";
import { JobQueue } from "../store/job-queue.js";
import { resolveApiKey } from "./api-key.js";
import { resolveJwtSecret } from "./jwt-secret.js";
import { MetricsTicker } from "./metrics-ticker.js";

export const VERSION = "2.0.0";

export interface AegisServer {
  url: string;
  apiKey: string;
  apiKeyGenerated: boolean;
  database: Database;
  executor: Executor;
  /** Stop taking work, let in-flight stages reach a persisted point, stop children, close the store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** Overrides for tests: a different analyst (e.g. one that waits). */
  analyst?: Analyst;
  /** How long shutdown waits for in-flight pipelines. */
  drainMs?: number;
  /** Job lease: how soon another node takes over the jobs of a dead one. */
  leaseMs?: number;
}

/** Wire every part from parsed config and start listening. */
export async function startAegis(config: Config, opts: StartOptions): Promise<AegisServer> {
  const logger = opts.logger;
  const dataDir = resolve(config.AEGIS_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const key = resolveApiKey(config.AEGIS_API_KEY, dataDir);

  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: pgliteDirFor(dataDir) });
  const bus = new InProcessEventBus((err) => logger.warn({ err }, "event listener failed"));
  const incidents = new IncidentStore();
  const actions = new ActionLog();
  const jobs = new JobQueue(database.db);
  const kb = createKnowledge(database, logger, {
    embeddingsUrl: config.AEGIS_EMBEDDINGS_URL,
    embeddingsModel: config.AEGIS_EMBEDDINGS_MODEL,
    embeddingsApiKey: config.AEGIS_EMBEDDINGS_API_KEY,
    embeddingsMinSimilarity: config.AEGIS_EMBEDDINGS_MIN_SIMILARITY,
  });
  const knowledge = kb.incidents;
  await kb.runbooks.load(DEFAULT_PROJECT_ID);
  const recorder = new IncidentRecorder(database, incidents, bus);
  const webhookUrl = `http://${urlHost(config.AEGIS_HOST)}:${config.AEGIS_PORT}/webhook`;
  const executor = createExecutor(config, { logger, dataDir, webhookUrl, apiKey: key.key });
  const protection = TargetProtection.fromList(config.PROTECTED_TARGETS);
  const policy = defaultCouncilPolicy({
    maxReplicas: config.MAX_REPLICAS,
    restartBudgetPerHour: config.RESTART_BUDGET_PER_HOUR,
    minConfidence: config.MIN_CONFIDENCE,
    protection,
  });
  const analysis = await createAnalysisEngine(config, {
    protection,
    database,
    knowledge,
    executor,
    logger,
    projectId: DEFAULT_PROJECT_ID,
    runbooks: runbookFinderOf(kb.runbooks),
  });
  const analyst = opts.analyst ?? analysis.chain;
  const council = new PolicyCouncil(policy, analysis.secondOpinion);
  const reviewed = analysis.reviewing(council);
  const pipeline = new Pipeline(
    { database, incidents, actions, jobs, knowledge, analyst, council: reviewed, executor, recorder, logger },
    {
      logTruncateChars: config.LOG_TRUNCATE_CHARS,
      maxReplicas: config.MAX_REPLICAS,
      // The council's budget, enforced again (atomically) when the action starts.
      restartBudgetPerHour: policy.restartBudgetPerHour,
      ragLimit: 3,
      verify: {
        timeoutMs: config.HEALTH_TIMEOUT_SECS * 1000,
        maxAttempts: config.HEALTH_MAX_ATTEMPTS,
        baseDelayMs: 250,
        maxDelayMs: 4000,
      },
    },
  );
  let service: IncidentService | null = null;
  const worker = new PipelineWorker(database, jobs, pipeline, recorder, logger, {
    concurrency: config.PIPELINE_CONCURRENCY,
    leaseMs: opts.leaseMs ?? 15_000,
    pollMs: 1000,
    underPressure: () => service?.ingestActive() ?? false,
  });
  // Alert grouping decides, as accepted alerts are loaded, whether each opens an incident or joins one.
  const alertStore = new AlertStore();
  const grouper = new AlertGrouper(incidents, alertStore, recorder, {
    windowMs: config.AEGIS_ALERT_GROUP_WINDOW_SECS * 1000,
  });
  const ingest = new JournaledIngest(
    database,
    incidents,
    new IngestJournal(join(dataDir, "ingest")),
    logger,
    (accepted) => recorder.received(accepted),
    () => worker.wake(),
    { store: grouper.store },
  );
  await ingest.recover();
  service = new IncidentService(database, incidents, jobs, recorder, ingest, () => worker.wake(), alertStore);
  const incidentResource = new IncidentResource(database, new IncidentResourceStore(), incidents, recorder, service);
  const alertIntake = new AlertIntake(
    database,
    alertStore,
    ingest,
    incidentResource,
    new SealedSecrets(resolveJwtSecret(config.AEGIS_JWT_SECRET, dataDir)),
    logger,
  );
  /** Silences and maintenance windows; the `SilenceChecker` paging asks before it pages. */
  const silences = new SilenceService(database, alertStore);
  const approvalExpiry = new ApprovalExpiry(
    jobs,
    incidents,
    recorder,
    logger,
    config.AEGIS_APPROVAL_EXPIRY_SECS * 1000,
  );

  // The monitor watches the operator's fleet, which belongs to no tenant: its alerts go to the default
  // project's seed-002 subscribers, once the hub exists.
  let alertsFired: (events: readonly AlertEvent[]) => void = () => undefined;
  const monitor = await createMonitor(config, {
    database,
    dataDir,
    logger,
    incidents: { receive: (p) => (service as IncidentService).receive(DEFAULT_PROJECT_ID, p) },
    manages: (server) => executor.has(server),
    onAlerts: (events) => alertsFired(events),
  });

  const integrations = createIntegrations(config, {
    database,
    executor,
    logger,
    publicUrl: `http://${urlHost(config.AEGIS_HOST)}:${config.AEGIS_PORT}`,
  });
  await integrations.webhooks.start(bus);
  const { authenticator, ...accounts } = createAccounts(
    database,
    resolveJwtSecret(config.AEGIS_JWT_SECRET, dataDir),
    adminKeyAuthenticator(key.key, DEFAULT_PROJECT_ID),
  );

  await executor.start();
  const { app, hub } = await buildApp({
    config,
    authenticator,
    accounts,
    incidents: service,
    incidentResource,
    executor,
    knowledge,
    analysis,
    runbooks: kb.runbooks,
    knowledgeSearch: kb.search,
    monitor,
    bus,
    tickets: integrations.tickets,
    webhooks: integrations.webhooks,
    dependencyHealth: integrations.dependencyHealth,
    logger,
    version: VERSION,
    databaseKind: database.kind,
    alertIntake,
    silences,
  });
  alertsFired = (events) => {
    for (const e of events) {
      const fired = alertFiredOf(e);
      if (fired) hub.sendEvent(DEFAULT_PROJECT_ID, fired);
    }
  };
  await app.listen({ host: config.AEGIS_HOST, port: config.AEGIS_PORT });
  const address = app.server.address() as AddressInfo;
  const url = `http://${urlHost(config.AEGIS_HOST)}:${address.port}`;
  const ticker = new MetricsTicker(
    executor,
    bus,
    DEFAULT_PROJECT_ID,
    logger,
    config.METRICS_INTERVAL_SECS * 1000,
    () => hub.size > 0,
  );
  ticker.start();
  await worker.start();
  approvalExpiry.start();
  logger.info({ url, database: database.kind, executor: executor.kind }, "AegisOps listening");

  let stopped: Promise<void> | null = null;
  return {
    url,
    apiKey: key.key,
    apiKeyGenerated: key.generated,
    database,
    executor,
    stop: () => {
      stopped ??= (async () => {
        service.close();
        alertIntake.close();
        integrations.webhooks.stop();
        ticker.stop();
        hub.closeAll();
        const closing = app.close();
        await ingest.drain();
        await worker.stop(opts.drainMs ?? 20_000);
        await approvalExpiry.stop();
        await closing;
        await monitor.close();
        await executor.stop();
        await kb.close();
        await database.close();
        logger.info({}, "AegisOps stopped");
      })();
      return stopped;
    },
  };
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
