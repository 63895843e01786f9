import { useEffect, useRef, useState } from "react";

/** `value`, but changing at most once per `ms` (the last change always comes through). */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - Date.now();
    const t = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}
