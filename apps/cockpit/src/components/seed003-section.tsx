import { useCockpit } from "../cockpit-context.js";
import { errorText } from "./error-text.js";
import { NotAvailable } from "./not-available.js";
import { PayloadView } from "./payload-view.js";
import { useFetch } from "./use-fetch.js";

/** One seed-003 resource (`{success, message, data}`), or a plain "not available" when the server lacks it. */
export function Seed003Section({ title, path }: { title: string; path: string }) {
  const { client } = useCockpit();
  const r = useFetch(() => client.seed003<unknown>(path), [client, path]);
  return (
    <section className="panel" aria-label={title} style={{ marginBottom: 12 }}>
      <h2>{title}</h2>
      {r.error ? (
        <p className="error">{errorText(r.error)}</p>
      ) : r.loading && r.data === undefined ? (
        <p className="muted">Loading…</p>
      ) : r.data === null ? (
        <NotAvailable what={title} path={path} />
      ) : (
        <PayloadView value={r.data} />
      )}
    </section>
  );
}
