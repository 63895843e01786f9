/** A page's endpoint is not served by this server (404): said plainly, nothing made up in its place. */
export function NotAvailable({ what, path }: { what: string; path: string }) {
  return (
    <p className="notice" role="status">
      {what} is not available on this server yet (<span className="mono">{path}</span> answered 404).
    </p>
  );
}
