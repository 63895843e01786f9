import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { createAccounts } from "../accounts/create-accounts.js";
import { DEFAULT_THROTTLE } from "../accounts/login-throttle.js";
import { KDF } from "../accounts/password-hasher.js";
import { createAnalysisEngine } from "../analysts/llm/create-analysis-engine.js";
import { runbookFinderOf } from "../analysts/llm/runbook-finder.js";
import { adminKeyAuthenticator } from "../api/admin-key-authenticator.js";
import { buildApp } from "../api/build-app.js";
import { DownloadSigner, deriveDownloadKey } from "../api/download-signer.js";
import { InjectionWatch } from "../audit/injection-watch.js";
import { auditRemediations } from "../audit/remediation-auditor.js";
import { createSecurityCenter } from "../audit/security-center.js";
import type { Config } from "../config/config.js";
import { defaultCouncilPolicy, PolicyCouncil } from "../council/policy-council.js";
import { AgentService } from "../engine/agent-service.js";
import { AlertGrouper } from "../engine/alert-grouping.js";
import { AlertIntake } from "../engine/alert-intake.js";
import { ApprovalExpiry } from "../engine/approval-expiry.js";
import { DEFAULT_ESCALATION_OPTIONS, EscalationEngine } from "../engine/escalation-engine.js";
import { IncidentActions } from "../engine/incident-actions.js";
import { IncidentResource } from "../engine/incident-resource.js";
import { IncidentService } from "../engine/incident-service.js";
import { knowledgeBaseSettings } from "../engine/knowledge-base-settings.js";
import { templateList } from "../engine/page-templates.js";
import { Pipeline } from "../engine/pipeline.js";
import { PipelineBatch } from "../engine/pipeline-batch.js";
import { PipelineWorker } from "../engine/pipeline-worker.js";
import { IncidentRecorder } from "../engine/recorder.js";
import { SettingsBackup } from "../engine/settings-backup.js";
import { SettingsService } from "../engine/settings-service.js";
import { SilenceService } from "../engine/silence-service.js";
import { InProcessEventBus } from "../events/event-bus.js";
import type { PgEventBus } from "../events/pg-event-bus.js";
import type { PgLeaderLock } from "../events/pg-leader-lock.js";
import { createExecutor } from "../executors/create-executor.js";
import { IngestJournal } from "../ingest/ingest-journal.js";
import { JournaledIngest } from "../ingest/journaled-ingest.js";
import { SealedSecrets } from "../ingest/sealed-secret.js";
import { createInsights } from "../insights/create-insights.js";
import { createIntegrations } from "../integrations/create-integrations.js";
import { createPaging } from "../integrations/create-paging.js";
import { createKnowledge } from "../knowledge/create-knowledge.js";
import { createMonitor } from "../monitor/create-monitor.js";
import { createMonitoringCenter } from "../observability/monitoring-center.js";
import { EscalationPolicyService } from "../oncall/escalation-policy-service.js";
import { ScheduleService } from "../oncall/schedule-service.js";
import type { Analyst } from "../ports/analyst.js";
import type { Executor } from "../ports/executor.js";
import type { Notifier } from "../ports/notifier.js";
import { runtimeEvidenceOf } from "../ports/runtime-evidence.js";
import type { SilenceChecker } from "../ports/silences.js";
import { TargetProtection } from "../safety/target-protection.js";
import { LOG_LEVELS, LogRing } from "../shared/log-ring.js";
import { type Logger, teeLogger } from "../shared/logger.js";
import { AccountStore } from "../store/account-store.js";
import { ActionLog } from "../store/action-log.js";
import { AlertStore } from "../store/alert-store.js";
import { type Database, DEFAULT_PROJECT_ID, openDatabase, pgliteDirFor } from "../store/database.js";
import { EmbeddedMaintenance } from "../store/embedded-maintenance.js";
import { EscalationStore } from "../store/escalation-store.js";
import { IncidentBatchStore } from "../store/incident-batch-store.js";
import { IncidentResourceStore } from "../store/incident-resource-store.js";
import { IncidentStore } from "../store/incident-store.js";
import { JobQueue } from "../store/job-queue.js";
import { OnCallStore } from "../store/oncall-store.js";
import { RunbookStore } from "../store/runbook-store.js";
import { SettingsStore } from "../store/settings-store.js";
import { apiKeyFile, resolveApiKey } from "./api-key.js";
import { resolveJwtSecret } from "./jwt-secret.js";
import { MetricsTicker } from "./metrics-ticker.js";
import { resolveSecretsKey } from "./secrets-key.js";

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
  /** How pages travel (notification channels); unset: every page is recorded as failed, no channel configured. */
  notifier?: Notifier;
  /** Silences and maintenance windows that suppress paging; unset: nothing is suppressed. */
  silences?: SilenceChecker;
}

/** Similar incidents and runbooks retrieved for each analysis (also shown by GET /api/v1/settings/knowledge-base). */
const RAG_LIMIT = 3;
const RUNBOOK_LIMIT = 3;

/** Wire every part from parsed config and start listening. */
export async function startAegis(config: Config, opts: StartOptions): Promise<AegisServer> {
  // The product's own recent log lines, for seed 003's /monitoring/logs and its SSE stream.
  const ring = new LogRing(
    config.AEGIS_LOG_BUFFER_LINES,
    config.LOG_LEVEL in LOG_LEVELS ? (config.LOG_LEVEL as keyof typeof LOG_LEVELS) : "info",
  );
  const logger = teeLogger(opts.logger, ring);
  const dataDir = resolve(config.AEGIS_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const key = resolveApiKey(config.AEGIS_API_KEY, dataDir);

  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: pgliteDirFor(dataDir) });
  // Several processes on one PostgreSQL share frames and elect one metrics collector (ADR 0019).
  const clusterUrl = config.AEGIS_CLUSTER_EVENTS === "auto" ? config.DATABASE_URL : undefined;
  let sharedBus: PgEventBus | null = null;
  let leader: PgLeaderLock | null = null;
  if (clusterUrl) {
    // Loaded only here: the PostgreSQL client stays out of an embedded-database process (ADR 0025, sixth round).
    const [bus, lock] = await Promise.all([import("../events/pg-event-bus.js"), import("../events/pg-leader-lock.js")]);
    sharedBus = await bus.PgEventBus.connect(clusterUrl, logger);
    leader = new lock.PgLeaderLock(clusterUrl, lock.LEADER_KEY, logger);
  }
  const bus = sharedBus ?? new InProcessEventBus((err) => logger.warn({ err }, "event listener failed"));
  // Consumers that must act once per frame (the audit entry, the outbound webhook) subscribe here: the
  // frames this process published. On a shared bus every process sees every process's frames.
  const ownFrames = sharedBus?.local ?? bus;
  const security = createSecurityCenter(
    database,
    logger,
    {
      passwordKdf: {
        algorithm: KDF.algorithm === 2 ? "argon2id" : `argon2 variant ${KDF.algorithm}`,
        memoryKiB: KDF.memoryCost,
        timeCost: KDF.timeCost,
        parallelism: KDF.parallelism,
      },
      apiKeysOf: async (projectId) => {
        const now = new Date();
        const keys = await new AccountStore().apiKeys(database.db, projectId);
        return keys.filter((k) => !k.revokedAt && (!k.expiresAt || k.expiresAt > now));
      },
      secretFiles: [apiKeyFile(dataDir), join(dataDir, "jwt-secret")],
      tls: {
        enabled: false,
        evidence: `the API listens on plain HTTP at ${config.AEGIS_HOST}:${config.AEGIS_PORT}; terminate TLS at a reverse proxy in front of it`,
      },
      loginThrottle: DEFAULT_THROTTLE,
      accessLogRetentionDays: config.AEGIS_ACCESS_LOG_RETENTION_DAYS,
    },
    { securityEventRetentionDays: config.AEGIS_SECURITY_EVENT_RETENTION_DAYS },
  );
  // Each remediation event is audited once, by the process that published it (ADR 0016, amendment).
  const stopAuditing = auditRemediations(ownFrames, security.audit);
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
  const recorder = new IncidentRecorder(database, incidents, bus, new IncidentBatchStore());
  const webhookUrl = `http://${urlHost(config.AEGIS_HOST)}:${config.AEGIS_PORT}/webhook`;
  const executor = await createExecutor(config, { logger, dataDir, webhookUrl, apiKey: key.key });
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
    bus,
  });
  const analyst = opts.analyst ?? analysis.chain;
  const settingsStore = new SettingsStore();
  const settings = new SettingsService(database, settingsStore);
  const council = new PolicyCouncil(policy, analysis.secondOpinion);
  const injections = new InjectionWatch(council.policy.detectInjection, security.events);
  const stopInjectionWatch = injections.attach(bus);
  const reviewed = injections.wrap(analysis.reviewing(council));
  const pipelineDeps = {
    database,
    incidents,
    actions,
    jobs,
    knowledge,
    analyst,
    council: reviewed,
    executor,
    recorder,
    logger,
    automation: settings,
    runtimeEvidence: runtimeEvidenceOf(executor),
  };
  const pipeline = new Pipeline(pipelineDeps, {
    logTruncateChars: config.LOG_TRUNCATE_CHARS,
    maxReplicas: config.MAX_REPLICAS,
    // The council's budget, enforced again (atomically) when the action starts.
    restartBudgetPerHour: policy.restartBudgetPerHour,
    ragLimit: RAG_LIMIT,
    runbookLimit: RUNBOOK_LIMIT,
    verify: {
      timeoutMs: config.HEALTH_TIMEOUT_SECS * 1000,
      maxAttempts: config.HEALTH_MAX_ATTEMPTS,
      baseDelayMs: 250,
      maxDelayMs: 4000,
    },
  });
  let service: IncidentService | null = null;
  const worker = new PipelineWorker(database, jobs, pipeline, recorder, logger, {
    concurrency: config.PIPELINE_CONCURRENCY,
    leaseMs: opts.leaseMs ?? 15_000,
    pollMs: 1000,
    underPressure: () => service?.ingestActive() ?? false,
    batch:
      config.PIPELINE_BATCH_SIZE > 1
        ? {
            runner: new PipelineBatch(pipelineDeps, pipeline, new IncidentBatchStore(), config.PIPELINE_STAGE_FOLD_MS),
            size: config.PIPELINE_BATCH_SIZE,
          }
        : undefined,
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
    {
      store: grouper.store,
      maxBacklog: config.AEGIS_INGEST_MAX_BACKLOG,
      // A shared PostgreSQL is where other processes can see an accepted alert; PGlite is this process's own.
      durableIn: database.kind === "postgres" ? "database" : "journal",
    },
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

  // The integrations registry, the Notifier over its channels (escalation pages through `paging.notifier`),
  // and approve-from-chat: approval requests go to the project's Slack / Teams channels.
  const paging = createPaging(config, {
    database,
    logger,
    secretsKey: resolveSecretsKey(config.AEGIS_SECRETS_KEY, dataDir),
    publicUrl: (config.AEGIS_PUBLIC_URL ?? `http://${urlHost(config.AEGIS_HOST)}:${config.AEGIS_PORT}`).replace(
      /\/+$/,
      "",
    ),
    decider: service,
  });
  const oncallStore = new OnCallStore();
  const schedules = new ScheduleService(database, oncallStore);
  const escalation = new EscalationEngine(
    {
      database,
      store: new EscalationStore(),
      oncall: oncallStore,
      schedules,
      incidents,
      recorder,
      notifier: opts.notifier ?? paging.notifier,
      silences: opts.silences ?? silences,
      routing: settings,
      logger: logger.child({ component: "escalation" }),
      leads: () => leader?.isLeader ?? true,
    },
    { ...DEFAULT_ESCALATION_OPTIONS, sweepMs: config.AEGIS_ESCALATION_SWEEP_SECS * 1000 },
  );
  // A new incident, one now waiting for a person, or one a person decided on or that ended (which stops
  // its escalation) is looked at within a moment rather than at the next sweep.
  const wakesEscalation = new Set(["AWAITING_APPROVAL", "HUMAN_DECISION", "RESOLVED", "FAILED"]);
  const unsubscribeEscalation = bus.subscribe((frame) => {
    if (frame.type === "incident.new" || (frame.type === "status.update" && wakesEscalation.has(frame.data.status))) {
      escalation.wake();
    }
  });

  // The monitor watches the operator's fleet, which belongs to no tenant: its level changes are frames of
  // the default project (every process's hub delivers them; seed-002 `alerts` gets the rising ones).
  const monitor = await createMonitor(config, {
    database,
    dataDir,
    logger,
    incidents: { receive: (p) => (service as IncidentService).receive(DEFAULT_PROJECT_ID, p) },
    manages: (server) => executor.has(server),
    onAlerts: (events) => {
      for (const e of events) bus.publish(DEFAULT_PROJECT_ID, "monitor.alert", null, e);
    },
  });

  const integrations = createIntegrations(config, {
    database,
    executor,
    logger,
    publicUrl: `http://${urlHost(config.AEGIS_HOST)}:${config.AEGIS_PORT}`,
    // Called per ticket, after start-up: a project's own Jira integration (below) files its tickets.
    ticketSinkOf: (projectId) => paging.ticketSinkOf(projectId),
  });
  // Outbound webhooks fire once per frame: from the process that published it.
  await integrations.webhooks.start(ownFrames);
  if (config.JIRA_BASE_URL && config.JIRA_EMAIL && config.JIRA_API_TOKEN && config.JIRA_PROJECT_KEY) {
    await paging.registry.ensure(DEFAULT_PROJECT_ID, "jira", "jira", {
      base_url: config.JIRA_BASE_URL,
      email: config.JIRA_EMAIL,
      api_token: config.JIRA_API_TOKEN,
      project_key: config.JIRA_PROJECT_KEY,
      issue_type: config.JIRA_ISSUE_TYPE,
    });
  }
  paging.chat.start(bus);
  const { authenticator, ...accounts } = createAccounts(
    database,
    resolveJwtSecret(config.AEGIS_JWT_SECRET, dataDir),
    adminKeyAuthenticator(key.key, DEFAULT_PROJECT_ID),
    security.events,
  );

  let websocketClients = () => 0;
  const monitoring = createMonitoringCenter({
    database,
    ring,
    executor,
    serviceLogDir: config.AEGIS_EXECUTOR === "local" ? join(dataDir, "logs") : null,
    tracesUrl: config.AEGIS_TRACES_URL,
    queueDepth: () => jobs.pending(),
    websocketClients: () => websocketClients(),
    probes: {
      predictive_monitor: async () => {
        const s = monitor.service.status();
        return {
          status: "up",
          detail: s.warmup_complete
            ? `tracking ${s.servers_tracked} server(s), model v${s.model_version}`
            : `warming up: ${s.records_received} record(s) received`,
          info: { ...s },
        };
      },
    },
  });
  const insights = createInsights(database, { chromiumPath: config.AEGIS_CHROMIUM_PATH });
  const incidentActions = new IncidentActions(
    database,
    incidentResource,
    incidents,
    service,
    recorder,
    knowledge,
    insights.settings,
  );
  const agent = new AgentService({
    database,
    config,
    analysis,
    executor,
    knowledge,
    knowledgeSearch: kb.search,
    resource: incidentResource,
    incidents,
    insights: insights.store,
    settings: insights.settings,
  });

  await executor.start();
  const { app, hub } = await buildApp({
    config,
    authenticator,
    downloadLinks: new DownloadSigner(
      deriveDownloadKey(resolveJwtSecret(config.AEGIS_JWT_SECRET, dataDir)),
      config.AEGIS_DOWNLOAD_LINK_SECS * 1000,
    ),
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
    oncall: { schedules, policies: new EscalationPolicyService(database, oncallStore), escalations: escalation },
    settings: {
      settings,
      backups: new SettingsBackup(database, settingsStore, oncallStore, settings, {
        store: new RunbookStore(),
        reindex: (projectId) => kb.runbooks.reload(projectId),
      }),
      templates: templateList,
      knowledgeBase: (projectId) =>
        knowledgeBaseSettings(
          {
            embeddingsUrl: config.AEGIS_EMBEDDINGS_URL,
            embeddingsModel: config.AEGIS_EMBEDDINGS_MODEL,
            minSimilarity: config.AEGIS_EMBEDDINGS_MIN_SIMILARITY,
            similarPerAnalysis: RAG_LIMIT,
            runbooksPerAnalysis: RUNBOOK_LIMIT,
            countRunbooks: (p) => kb.runbooks.size(p),
            countLearned: async (p) => (await knowledge.list(p)).length,
          },
          projectId,
        ),
    },
    security: { ...security, operatorProjectId: DEFAULT_PROJECT_ID },
    monitoring: {
      ...monitoring,
      operatorProjectId: DEFAULT_PROJECT_ID,
      heartbeatMs: config.AEGIS_SSE_HEARTBEAT_SECS * 1000,
      metricsIntervalMs: config.METRICS_INTERVAL_SECS * 1000,
    },
    integrations: paging.registry,
    chatApprovals: paging.chat,
    insights,
    incidentActions,
    agent,
    logger,
    version: VERSION,
    databaseKind: database.kind,
    alertIntake,
    silences,
  });
  websocketClients = () => hub.size;
  await app.listen({ host: config.AEGIS_HOST, port: config.AEGIS_PORT });
  const address = app.server.address() as AddressInfo;
  const url = `http://${urlHost(config.AEGIS_HOST)}:${address.port}`;
  const ticker = new MetricsTicker(
    executor,
    bus,
    DEFAULT_PROJECT_ID,
    logger,
    config.METRICS_INTERVAL_SECS * 1000,
    // A leader cannot see other processes' sockets: it collects for them too.
    () => leader !== null || hub.size > 0 || monitoring.wsMetrics.open > 0,
    () => leader?.isLeader ?? true,
  );
  await leader?.start();
  ticker.start();
  await worker.start();
  approvalExpiry.start();
  escalation.start();
  security.start();
  const maintenance = new EmbeddedMaintenance(database, logger, config.AEGIS_PGLITE_MAINTENANCE_SECS * 1000);
  maintenance.start();
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
        paging.chat.stop();
        ticker.stop();
        await leader?.stop();
        hub.closeAll();
        const closing = app.close();
        await ingest.drain();
        await worker.stop(opts.drainMs ?? 20_000);
        await approvalExpiry.stop();
        unsubscribeEscalation();
        await escalation.stop();
        await maintenance.stop();
        await closing;
        await monitor.close();
        await executor.stop();
        stopAuditing();
        stopInjectionWatch();
        await security.stop();
        monitoring.close();
        await kb.close();
        await sharedBus?.close();
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
