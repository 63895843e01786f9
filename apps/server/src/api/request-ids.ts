/** Fastify's own bound for its request counter (the largest small integer V8 keeps unboxed). */
const MAX_ID = 2147483647;

/**
 * Request ids as Fastify makes them by default (`req-<counter in base 36>`), from one counter shared by
 * Fastify (its `genReqId`) and the plain `/webhook` handler, so no two requests of a server share an id
 * in the access log or the audit chain whichever handler answered them.
 */
export function requestIds(): () => string {
  let next = 0;
  return () => {
    next = (next + 1) & MAX_ID;
    return `req-${next.toString(36)}`;
  };
}
