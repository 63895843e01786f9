import type { RunbookSearchResponse } from "@aegis/contracts";
import { type FormEvent, useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";
import { Excerpt } from "../components/excerpt.js";
import { runbookFromMarkdown } from "../components/markdown-runbook.js";
import { StatusBadge } from "../components/status-badge.js";
import { useFetch } from "../components/use-fetch.js";
import { can } from "../session/permissions.js";

/** Runbooks (list, search with scores, add) and what past incidents taught. */
export default function KnowledgePage() {
  const { client, role } = useCockpit();
  const runbooks = useFetch(() => client.runbooks({ page_size: 100 }), [client]);
  const past = useFetch(() => client.pastIncidents(), [client]);
  const [results, setResults] = useState<RunbookSearchResponse | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const search = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const query = String(new FormData(e.currentTarget).get("query")).trim();
    if (!query) return;
    setSearchError(null);
    try {
      setResults(await client.searchRunbooks({ query, top_k: 10 }));
    } catch (err) {
      setSearchError(errorText(err));
    }
  };

  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const id = String(f.get("id")).trim();
    setAddError(null);
    setAdded(null);
    try {
      const tags = String(f.get("tags"))
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      const r = await client.putRunbook(id, {
        title: String(f.get("title")),
        service: String(f.get("service")),
        body: String(f.get("body")),
        ...(tags.length ? { tags } : {}),
      });
      setAdded(`${r.created ? "Added" : "Replaced"} runbook ${r.runbook.id}`);
      form.reset();
      runbooks.reload();
    } catch (err) {
      setAddError(errorText(err));
    }
  };

  return (
    <>
      <h1>Knowledge</h1>
      <section className="panel" aria-labelledby="search" style={{ marginBottom: 12 }}>
        <h2 id="search">Search runbooks</h2>
        <form className="row" onSubmit={search} aria-label="Search runbooks">
          <label style={{ flex: 1 }}>
            What is happening?
            <input name="query" placeholder="e.g. heap out of memory after deploy" />
          </label>
          <button type="submit" className="primary">
            Search
          </button>
        </form>
        {searchError && (
          <p className="error" role="alert">
            {searchError}
          </p>
        )}
        {results && (
          <div aria-live="polite">
            <p className="small muted">
              {results.total_results} result(s) in {results.query_time_ms.toFixed(0)} ms · {results.retrieval.mode}
              {results.no_good_match ? " · no good match: treat these as leads, not answers" : ""}
            </p>
            <ol>
              {results.results.map((r) => (
                <li key={r.id}>
                  <strong>{r.title}</strong> <span className="mono small">score {r.score.toFixed(2)}</span>{" "}
                  <StatusBadge value={r.confidence} /> <span className="small muted">{r.service}</span>
                  <p className="small">
                    <Excerpt text={r.excerpt} />
                  </p>
                </li>
              ))}
            </ol>
          </div>
        )}
      </section>

      <div className="grid2">
        <section className="panel" aria-labelledby="runbooks">
          <h2 id="runbooks">Runbooks {runbooks.data ? `(${runbooks.data.total})` : ""}</h2>
          {runbooks.error ? <p className="error">{errorText(runbooks.error)}</p> : null}
          <ul className="small">
            {runbooks.data?.items.map((r) => (
              <li key={r.id}>
                <strong>{r.title}</strong>{" "}
                <span className="muted">
                  · {r.service} · {r.id}
                </span>
              </li>
            ))}
          </ul>
          {runbooks.data?.items.length === 0 && <p className="muted">No runbooks yet.</p>}
          {can(role, "write_runbook") && (
            <form onSubmit={add} aria-label="Add a runbook" style={{ display: "grid", gap: 8 }}>
              <h3>Add or replace a runbook</h3>
              <label>
                Import a Markdown file (fills the fields below)
                <input
                  type="file"
                  accept=".md,.markdown,text/markdown,text/plain"
                  onChange={async (e) => {
                    const file = e.currentTarget.files?.[0];
                    const form = e.currentTarget.form;
                    if (!file || !form) return;
                    const draft = runbookFromMarkdown(file.name, await file.text());
                    for (const [name, value] of Object.entries(draft)) {
                      const field = form.elements.namedItem(name);
                      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)
                        field.value = value;
                    }
                  }}
                />
              </label>
              <label>
                Id
                <input name="id" required maxLength={200} placeholder="payments/high-latency" />
              </label>
              <label>
                Title
                <input name="title" required maxLength={500} />
              </label>
              <label>
                Service
                <input name="service" required maxLength={200} />
              </label>
              <label>
                Tags (comma-separated)
                <input name="tags" />
              </label>
              <label>
                Body (Markdown)
                <textarea name="body" required rows={5} />
              </label>
              <button type="submit">Save runbook</button>
              {addError && (
                <p className="error" role="alert">
                  {addError}
                </p>
              )}
              {added && (
                <p className="notice" role="status">
                  {added}
                </p>
              )}
            </form>
          )}
        </section>
        <section className="panel" aria-labelledby="past">
          <h2 id="past">Past incidents {past.data ? `(${past.data.total})` : ""}</h2>
          {past.error ? <p className="error">{errorText(past.error)}</p> : null}
          {past.data?.entries.length === 0 && (
            <p className="muted">Nothing learned yet: resolved incidents appear here.</p>
          )}
          <ul className="small">
            {past.data?.entries.map((e) => (
              <li key={e.incident_id}>
                <strong>{e.alert_type}</strong> → {e.action}{" "}
                <StatusBadge value={e.outcome ?? (e.resolved_at ? "RESOLVED" : null)} />
                <br />
                <span className="muted">{e.root_cause}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
