/** Which rows of a fixed-height list are on screen (plus `overscan` either side), for windowed rendering. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 10,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(count, first + shown + overscan) };
}
