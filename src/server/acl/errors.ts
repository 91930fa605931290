/**
 * Why an administrative operation was refused. The command line maps them to exit codes: an invalid
 * value is a usage error (2), a conflict with stored data is a failure (1).
 */

/** A value that can never be accepted (malformed name, key, password or role data). */
export class InvalidValueError extends Error {
  override name = 'InvalidValueError';
}

/** A request that conflicts with what is stored (unknown, ambiguous or already used name or key). */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
}
