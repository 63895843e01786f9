/** Where seed 001 puts its API: the headings write `/api/v1/…`, the curl examples (base URL `…/v1`) `/v1/…`. */
const HEADING = "/api/v1/";
const EXAMPLE = "/v1/";

/**
 * The paths one seed 001 endpoint is served at: as its heading writes it, and as its curl example
 * does. Same route, same handler; only the heading's path is listed in the OpenAPI document.
 */
export function copilotPaths(path: string): string[] {
  if (!path.startsWith(HEADING)) throw new Error(`not a seed 001 path: ${path}`);
  return [path, `${EXAMPLE}${path.slice(HEADING.length)}`];
}

/** True for the curl examples' spelling of a seed 001 path (kept out of the OpenAPI document). */
export const isExamplePath = (url: string): boolean => url.startsWith(EXAMPLE);
