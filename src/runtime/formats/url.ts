/**
 * @module
 * The `url` format (ajv-formats', not JSON Schema's: documents use it). Its
 * expression is ajv-formats' with the user info made unambiguous: theirs
 * reads `\S+(?::\S*)?@`, so a string of digits, dots and colons with no `@`
 * costs time quadratic in its length (1.4 s for 176,000 characters). User
 * info holds no `@` (RFC 3986 §3.2.1), and its name part no `:`.
 */
export const url =
  /^(?:https?|ftp):\/\/(?:[^\s@:]+(?::[^\s@]*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)(?:\.(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?(?:\/[^\s]*)?$/iu;
