/** Password hashing with bcrypt (`bcryptjs`, pure JavaScript, `$2b$` hashes). */
import { compare, hash } from "bcryptjs";

/** bcrypt cost for new hashes (2^10 rounds, ~90 ms here); tests pass a lower one. */
export const DEFAULT_BCRYPT_COST = 10;

/** The bcrypt hash of `password`. Refuses empty passwords and those over bcrypt's 72-byte limit. */
export async function hashPassword(password: string, cost = DEFAULT_BCRYPT_COST): Promise<string> {
  if (password === "") throw new PasswordError("password cannot be empty");
  if (Buffer.byteLength(password) > 72) throw new PasswordError("password is too long (at most 72 bytes)");
  return hash(password, cost);
}

/** True when `password` matches `passwordHash` (constant-time inside bcrypt). */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  if (password === "" || passwordHash === "") return false;
  return compare(password, passwordHash);
}

/** A password that cannot be set. */
export class PasswordError extends Error {
  override readonly name = "PasswordError";
}
