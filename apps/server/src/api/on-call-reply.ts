/** Seed 003's success envelope `{success: true, message, data}`. */
export function onCallReply<T>(message: string, data: T): { success: true; message: string; data: T } {
  return { success: true, message, data };
}
