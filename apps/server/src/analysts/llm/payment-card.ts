/**
 * Whether a digit string (spaces and dashes allowed) is shaped like a payment card number: a length
 * its issuer prefix uses, and a valid Luhn check digit. The prefix table is what keeps ordinary
 * numbers out: epoch milliseconds and nanosecond timestamps start with 1, which no card network
 * issues, and a random number of the right shape still fails Luhn nine times out of ten.
 */
export function isPaymentCardNumber(text: string): boolean {
  const digits = text.replace(/[ -]/g, "");
  if (!/^\d{13,19}$/.test(digits)) return false;
  return lengthFitsIssuer(digits) && luhnValid(digits);
}

/** The Luhn (mod 10) checksum every card network uses. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function lengthFitsIssuer(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === "4") return n === 13 || n === 16 || n === 19; // Visa
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 35) return n >= 16; // JCB
  if (p2 === 30 || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14; // Diners Club
  if (p2 === 50 || (p2 >= 56 && p2 <= 58)) return true; // Maestro (12–19; 13+ here)
  if (d[0] === "6") return n >= 16; // Discover, UnionPay, Maestro 6x, RuPay
  return false;
}
