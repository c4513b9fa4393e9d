/**
 * @module
 * SHA-256 as lowercase hex, with Web Crypto: what API keys are stored under
 * and what long rate-limit keys are counted by.
 */

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
