import { useEffect, useState } from "react";

export type Theme = "light" | "dark";
const KEY = "aegis.cockpit.theme";

/** Light or dark: the person's choice if they made one, else the system's. */
export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => {
    const saved = localStorage.getItem(KEY);
    if (saved === "light" || saved === "dark") return saved;
    return matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  });
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [
    theme,
    (t) => {
      localStorage.setItem(KEY, t);
      setTheme(t);
    },
  ];
}
