import { useCallback, useEffect, useState } from "react";

/** Client routes live under /ui/ so they never collide with API paths (`/incidents`, `/metrics`, …). */
export const UI = "/ui";

export interface Route {
  path: string;
  search: string;
}

const current = (): Route => ({ path: location.pathname, search: location.search });

/** The address bar as state: pushState navigation, back/forward via popstate. */
export function useRoute(): [Route, (to: string, replace?: boolean) => void] {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    addEventListener("popstate", on);
    return () => removeEventListener("popstate", on);
  }, []);
  const navigate = useCallback((to: string, replace = false) => {
    if (replace) history.replaceState(null, "", to);
    else history.pushState(null, "", to);
    setRoute(current());
  }, []);
  return [route, navigate];
}
